/**
 * Gradient accumulation to the nominal batch (64): ScaledYOLOv4 back-propagates every batch and steps the optimizer
 * when ni % accumulate == 0, so gradients are summed (not averaged) between steps. The sums stay on the device.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedParameter } from '../model/types';
import type { NamedTensor } from './optimizer';
import { hasFusedKernel, listInputs, MULTI_ADD, type MultiAddAttrs } from './update-kernels';

export class GradientAccumulator {
  private sums: tf.Tensor[] | null = null;
  /** Batches summed since the last optimizer step. */
  count = 0;

  constructor(private readonly params: readonly NamedParameter[]) {}

  /** Adds one batch's gradients (parameter order) and disposes them. */
  add(grads: tf.Tensor[]): void {
    if (this.sums === null) {
      this.sums = grads;
    } else {
      const previous = this.sums;
      this.sums = hasFusedKernel(MULTI_ADD) ? sumAll(previous, grads) : previous.map((sum, i) => tf.add(sum, grads[i]));
      tf.dispose([...previous, ...grads]);
    }
    this.count++;
  }

  /** The summed gradients; the caller disposes them. The accumulator starts over. */
  take(): tf.Tensor[] {
    if (this.sums === null) throw new Error('no gradients accumulated');
    const sums = this.sums;
    this.sums = null;
    this.count = 0;
    return sums;
  }

  /** The pending sums under `<param name>.grad` (empty right after a step). */
  state(): NamedTensor[] {
    const sums = this.sums;
    return sums ? this.params.map((p, i) => ({ name: `${p.name}.grad`, tensor: sums[i] })) : [];
  }

  loadState(tensors: ReadonlyMap<string, tf.Tensor>, count: number): void {
    this.clear();
    if (count === 0) return;
    this.sums = this.params.map((p) => {
      const saved = tensors.get(`${p.name}.grad`);
      if (!saved) throw new Error(`resume state lacks the accumulated gradient of ${p.name}`);
      return tf.clone(saved);
    });
    this.count = count;
  }

  clear(): void {
    if (this.sums) tf.dispose(this.sums);
    this.sums = null;
    this.count = 0;
  }
}

/** a[i] + b[i] for every i in one kernel call (webgpu: one dispatch; wasm: one loop). */
function sumAll(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): tf.Tensor[] {
  const attrs: MultiAddAttrs = { count: a.length };
  return tf.engine().runKernel(MULTI_ADD, listInputs({ a, b }), attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}
