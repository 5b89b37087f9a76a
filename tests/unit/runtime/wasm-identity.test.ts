/**
 * Our wasm Identity shares the input's data instead of copying it (tf.clone, and every tensor a gradient saves):
 * no new backend data, values intact after the original goes, the data freed with the last sharer, and a gradient
 * through a saved input unchanged. Strings still copy through the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { onBackend, randomValues } from './compare';

const dataIds = () => tf.engine().backend.numDataIds();

describe('wasm Identity', () => {
  it('shares data: a clone adds no backend data, outlives its original, and the last one frees it', async () => {
    await setBackend('wasm');
    const before = dataIds();
    const x = tf.tensor(randomValues(24, 3), [2, 3, 4]);
    const expected = Array.from(await x.data());
    const y = tf.clone(x);
    expect(dataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual(expected);
    expect(y.shape).toEqual([2, 3, 4]);
    y.dispose();
    expect(dataIds()).toBe(before);
  });

  it('keeps int32, bool and string data', async () => {
    await setBackend('wasm');
    const ints = tf.tensor([1, -2, 3], [3], 'int32');
    const bools = tf.tensor([1, 0, 1], [3], 'bool');
    const strings = tf.tensor(['car', 'bus'], [2], 'string');
    const clones = [ints, bools, strings].map((t) => tf.clone(t));
    expect(Array.from(await clones[0].data())).toEqual([1, -2, 3]);
    expect(clones[1].dtype).toBe('bool');
    expect(Array.from(await clones[1].data())).toEqual([1, 0, 1]);
    tf.dispose([ints, bools, strings]);
    expect(await clones[2].data()).toEqual(['car', 'bus']);
    tf.dispose(clones);
  });

  it('gradients that save their inputs equal the cpu backend', async () => {
    const run = () => {
      const x = tf.tensor2d(randomValues(6 * 5, 4), [6, 5]);
      const w = tf.tensor2d(randomValues(5 * 3, 5), [5, 3]);
      // matMul saves both inputs and tanh its output: clones on the tape, freed after the backward pass.
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.tanh(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))));
      const [dx, dw] = tf.grads(f)([x, w]);
      return [dx, dw, x, w];
    };
    const wasm = await onBackend('wasm', run);
    const cpu = await onBackend('cpu', run);
    wasm.forEach((values, i) => values.forEach((v, k) => expect(v, `result ${i}[${k}]`).toBeCloseTo(cpu[i][k], 5)));
  });
});
