/**
 * Our wasm Tile (block copies instead of tfjs' per-element index arithmetic) against the cpu backend, exactly: ranks
 * 0–5, repetitions on inner, outer and several axes, the upsampling pattern, int32 and bool data, and the gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { upsampleNearest } from '../../../src/model/modules/leaves';
import { expectWasmToEqualCpu, onBackend, randomValues } from './compare';

function tiles(): tf.Tensor[] {
  const x = tf.tensor(randomValues(2 * 3 * 4 * 5, 7), [2, 3, 4, 5]);
  return [
    tf.tile(x, [1, 1, 1, 1]),
    tf.tile(x, [1, 1, 1, 3]), // innermost
    tf.tile(x, [2, 1, 1, 1]), // outermost
    tf.tile(x, [2, 3, 1, 2]), // several
    tf.tile(tf.reshape(x, [6, 4, 1, 5]), [1, 1, 2, 1]), // upsampling's first broadcast
    tf.tile(tf.reshape(x, [2, 3, 2, 2, 5]), [1, 2, 1, 3, 1]), // rank 5
    tf.tile(tf.tensor1d([1, 2, 3]), [4]),
    tf.tile(tf.scalar(5).reshape([1]), [3]),
    tf.tile(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), [2, 3]),
    tf.tile(tf.greater(x, 0), [1, 2, 1, 1]),
    tf.broadcastTo(tf.reshape(x, [6, 4, 1, 5]), [6, 4, 3, 5]),
    tf.tile(tf.zeros([0, 3]), [2, 2]),
  ];
}

describe('wasm Tile', () => {
  it('equals the cpu backend exactly', () => expectWasmToEqualCpu(tiles));

  it('nearest upsampling and its gradient equal the cpu backend', async () => {
    const run = () => {
      const x = tf.tensor4d(randomValues(2 * 3 * 4 * 6, 8), [2, 3, 4, 6]);
      const weights = tf.tensor4d(randomValues(2 * 6 * 8 * 6, 9), [2, 6, 8, 6]);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(upsampleNearest(t as tf.Tensor4D, 2), weights));
      return [upsampleNearest(x, 2), tf.grad(f)(x)];
    };
    const wasm = await onBackend('wasm', run);
    const cpu = await onBackend('cpu', run);
    expect(Array.from(wasm[0])).toEqual(Array.from(cpu[0]));
    wasm[1].forEach((g, i) => expect(g).toBeCloseTo(cpu[1][i], 5));
  });
});
