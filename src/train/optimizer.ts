/**
 * SGD with nesterov momentum in ScaledYOLOv4's three parameter groups, in PyTorch's formulation:
 *   d = g (+ wd·p for group 1);  v = μ·v + d;  p −= lr·(d + μ·v)
 * Groups are chosen by module type (DetectionModel marks each parameter): 0 = BN weights (no decay), 1 = conv
 * weights (decay), 2 = biases (no decay). ScaledYOLOv4 chooses by name, which would decay the ResNet stem and
 * downsample BN weights; choosing by type keeps every BN weight undecayed, as the source intends.
 * The lrs (one per group) and the shared momentum change per iteration (schedule.ts), so they are step arguments.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedParameter } from '../model/types';
import type { GroupLrs } from './schedule';
import {
  hasFusedKernel,
  listInputs,
  SGD_NESTEROV_MULTI_UPDATE,
  SGD_NESTEROV_UPDATE,
  type SgdMultiUpdateAttrs,
  type SgdUpdateAttrs,
} from './update-kernels';

/** A named tensor of optimizer state, for the resume file. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export class GroupedSgd {
  private readonly momenta: tf.Variable[];

  /** `weightDecay` is group 1's, already scaled by batch·accumulate/64 as train.py does. */
  constructor(
    private readonly params: readonly NamedParameter[],
    readonly weightDecay: number,
  ) {
    this.momenta = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
  }

  /** One update from `grads` (same order as the parameters). */
  step(grads: readonly tf.Tensor[], lrs: GroupLrs, momentum: number): void {
    if (hasFusedKernel(SGD_NESTEROV_MULTI_UPDATE)) {
      this.multiTensorStep(grads, lrs, momentum);
      return;
    }
    const fused = hasFusedKernel(SGD_NESTEROV_UPDATE);
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const p = param.variable;
        if (fused) {
          const weightDecay = param.group === 1 ? this.weightDecay : 0;
          const attrs: SgdUpdateAttrs = { lr: lrs[param.group], momentum, weightDecay };
          const inputs = { param: p, momentum: this.momenta[i], grad: grads[i] };
          const [pNext, vNext] = tf.engine().runKernel(SGD_NESTEROV_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          this.momenta[i].assign(vNext);
          p.assign(pNext);
          return;
        }
        const d = param.group === 1 && this.weightDecay > 0 ? tf.add(grads[i], tf.mul(p, this.weightDecay)) : grads[i];
        const v = tf.add(tf.mul(this.momenta[i], momentum), d);
        this.momenta[i].assign(v);
        p.assign(tf.sub(p, tf.mul(tf.add(d, tf.mul(v, momentum)), lrs[param.group])));
      });
    });
  }

  /** Every parameter in one kernel call (webgpu: one dispatch; wasm: one loop over the tensors). */
  private multiTensorStep(grads: readonly tf.Tensor[], lrs: GroupLrs, momentum: number): void {
    const attrs: SgdMultiUpdateAttrs = {
      momentum,
      lrs: this.params.map((p) => lrs[p.group]),
      weightDecays: this.params.map((p) => (p.group === 1 ? this.weightDecay : 0)),
    };
    const inputs = listInputs({ param: this.params.map((p) => p.variable), momentum: this.momenta, grad: grads });
    tf.tidy(() => {
      const outputs = tf.engine().runKernel(SGD_NESTEROV_MULTI_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const n = this.params.length;
      this.params.forEach((param, i) => {
        param.variable.assign(outputs[i]);
        this.momenta[i].assign(outputs[n + i]);
      });
    });
  }

  /** The momentum buffers under `<param name>.momentum_buffer`. */
  state(): NamedTensor[] {
    return this.params.map((p, i) => ({ name: `${p.name}.momentum_buffer`, tensor: this.momenta[i] }));
  }

  /** Restores buffers written by state(); every parameter must have one. */
  loadState(tensors: ReadonlyMap<string, tf.Tensor>): void {
    this.params.forEach((p, i) => {
      const saved = tensors.get(`${p.name}.momentum_buffer`);
      if (!saved) throw new Error(`resume state lacks the momentum buffer of ${p.name}`);
      this.momenta[i].assign(saved.reshape(this.momenta[i].shape));
    });
  }

  dispose(): void {
    tf.dispose(this.momenta);
  }
}
