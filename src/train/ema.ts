/**
 * Model EMA as ScaledYOLOv4's torch_utils.ModelEMA: after every optimizer step, each floating-point entry of the
 * state_dict (parameters and BN running stats) of a twin model becomes d·ema + (1 − d)·model, with
 * d = 0.9999·(1 − exp(−updates/2000)). The twin is what validation and checkpoints use.
 */
import * as tf from '@tensorflow/tfjs';
import type { DetectionModel } from '../model/types';
import { EMA_MULTI_UPDATE, EMA_UPDATE, hasFusedKernel, listInputs, type EmaMultiUpdateAttrs, type EmaUpdateAttrs } from './update-kernels';

export const EMA_DECAY = 0.9999;
export const EMA_RAMP = 2000;

export function emaDecay(updates: number): number {
  return EMA_DECAY * (1 - Math.exp(-updates / EMA_RAMP));
}

/** Parameters and buffers as one name → variable list (the state_dict's float entries). */
export function stateVariables(model: DetectionModel): { name: string; variable: tf.Variable }[] {
  return [...model.parameters(), ...model.buffers()].map(({ name, variable }) => ({ name, variable }));
}

export class ModelEma {
  private readonly pairs: { ema: tf.Variable; source: tf.Variable }[];

  /** Pairs the twin's entries with the model's by name and copies the model into the twin. */
  constructor(
    readonly twin: DetectionModel,
    model: DetectionModel,
    public updates = 0,
  ) {
    const source = new Map(stateVariables(model).map((e) => [e.name, e.variable]));
    this.pairs = stateVariables(twin).map((e) => {
      const variable = source.get(e.name);
      if (!variable) throw new Error(`EMA twin has ${e.name}, the model does not`);
      return { ema: e.variable, source: variable };
    });
    this.copyFromModel();
  }

  copyFromModel(): void {
    for (const { ema, source } of this.pairs) ema.assign(source);
  }

  update(): void {
    this.updates++;
    const d = emaDecay(this.updates);
    if (hasFusedKernel(EMA_MULTI_UPDATE)) {
      this.multiTensorUpdate(d);
      return;
    }
    const fused = hasFusedKernel(EMA_UPDATE);
    const attrs: EmaUpdateAttrs = { decay: d };
    tf.tidy(() => {
      for (const { ema, source } of this.pairs) {
        if (ema.dtype !== 'float32') continue; // as PyTorch: integer buffers (num_batches_tracked) are not averaged
        if (fused) ema.assign(tf.engine().runKernel(EMA_UPDATE, { ema, source }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor);
        else ema.assign(tf.add(tf.mul(ema, d), tf.mul(source, 1 - d)));
      }
    });
  }

  /** Every float entry in one kernel call (webgpu: one dispatch; wasm: one loop over the tensors). */
  private multiTensorUpdate(decay: number): void {
    // As PyTorch: integer buffers (num_batches_tracked) are not averaged.
    const pairs = this.pairs.filter((p) => p.ema.dtype === 'float32');
    const attrs: EmaMultiUpdateAttrs = { decay, count: pairs.length };
    const inputs = listInputs({ ema: pairs.map((p) => p.ema), source: pairs.map((p) => p.source) });
    tf.tidy(() => {
      const outputs = tf.engine().runKernel(EMA_MULTI_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      pairs.forEach((p, i) => p.ema.assign(outputs[i]));
    });
  }
}
