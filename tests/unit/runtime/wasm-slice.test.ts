/**
 * Our wasm Slice and SplitV (heap views instead of tfjs' whole-input copy per slice) against the cpu backend, exactly:
 * ranks 1–5, contiguous and strided slices, -1 sizes, uneven splits on every axis, int32 and bool data.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectWasmToEqualCpu, onBackend, randomValues } from './compare';

const shape = [2, 5, 6, 40]; // last axis ≥ 32 exercises the subarray path, the others the short-run loop
const values = randomValues(shape.reduce((a, b) => a * b), 41);

function slices(): tf.Tensor[] {
  const x = tf.tensor(values, shape);
  return [
    tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), // contiguous
    tf.slice(x, [1, 2, 1, 3], [1, 2, 4, 30]), // strided on every axis
    tf.slice(x, [0, 1, 0, 0], [2, 3, 6, 5]), // short runs
    tf.slice(tf.reshape(x, [2, 5, 6, 4, 10]), [0, 1, 2, 1, 3], [2, 2, 3, 2, 7]), // rank 5
    tf.slice(tf.range(0, 10, 1, 'int32'), [3], [4]), // rank 1, int32
    ...tf.split(x, [10, 20, 10], 3), // CSP-style channel split
    ...tf.split(x, [1, 4], 1),
    ...tf.split(x, 2, 0),
    ...tf.split(tf.greater(x, 0), [3, 3], 2), // bool
  ];
}

describe('wasm Slice and SplitV', () => {
  it('equal the cpu backend exactly', () => expectWasmToEqualCpu(slices));

  it('leave the input intact and keep gradients right', async () => {
    const run = () => {
      const x = tf.tensor(values, shape);
      const g = tf.grad((t: tf.Tensor) => {
        const [a, b] = tf.split(t, [15, 25], 3);
        return tf.add(tf.sum(tf.mul(a, 2)), tf.sum(tf.slice(b, [0, 1, 1, 0], [1, 3, 3, 25])));
      })(x);
      return [x, g];
    };
    const [xw, gw] = await onBackend('wasm', run);
    const [, gc] = await onBackend('cpu', run);
    expect(Array.from(xw)).toEqual(Array.from(values));
    expect(Array.from(gw)).toEqual(Array.from(gc));
  });
});
