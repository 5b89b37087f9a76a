/**
 * Gradients whose kernels tfjs-backend-wasm lacks (depthwise conv's two backprops, gather's UnsortedSegmentSum) run
 * on wasm through src/runtime/wasm-kernels/borrowed-cpu-kernels.ts and must equal the cpu backend's.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBackend, randomValues, relativeError } from './compare';

describe('borrowed cpu kernels on wasm', () => {
  it('depthwise conv gradients (stride 2, multiplier 2) match the cpu backend', async () => {
    const xv = randomValues(2 * 7 * 7 * 4, 21);
    const wv = randomValues(3 * 3 * 4 * 2, 22);
    const grads = () => {
      const x = tf.tensor4d(xv, [2, 7, 7, 4]);
      const w = tf.tensor4d(wv, [3, 3, 4, 2]);
      const f = (xi: tf.Tensor, wi: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same')));
      return tf.grads(f)([x, w]);
    };
    const cpu = await onBackend('cpu', grads);
    const wasm = await onBackend('wasm', grads);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-5);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThan(1e-5);
  });

  it('gather gradient (UnsortedSegmentSum) sums repeated indices', async () => {
    const table = randomValues(6 * 3, 23);
    const grads = () => {
      const t = tf.tensor2d(table, [6, 3]);
      const idx = tf.tensor1d([0, 2, 2, 5, 0, 0], 'int32');
      return [tf.grad((ti: tf.Tensor) => tf.sum(tf.mul(tf.gather(ti, idx), tf.range(1, 19).reshape([6, 3]))))(t)];
    };
    const [wasm] = await onBackend('wasm', grads);
    const [cpu] = await onBackend('cpu', grads);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    // Row 0 is gathered at positions 0, 4, 5: weights (1+13+16, 2+14+17, 3+15+18).
    expect(Array.from(wasm.subarray(0, 3))).toEqual([30, 33, 36]);
  });
});
