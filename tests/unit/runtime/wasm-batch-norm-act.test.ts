/**
 * The wasm backend's fused BatchNorm + activation kernels (src/runtime/wasm-kernels/batch-norm-act: SIMD on tfjs'
 * heap) on shapes the model test (tests/unit/model/batch-norm-act.test.ts) does not reach: channels that are all
 * vector lanes, all single-lane tail, and more pixels than one f32 summing block; and pre-activations out to ±60, where
 * an exp approximation without its clamps overflows to Infinity or NaN. Each value, not only the largest, is held to
 * the cpu backend's tf ops.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNormActTrain, type FusedActivation } from '../../../src/model/modules/batch-norm-act';
import { onBackend, randomValues } from './compare';

const ACTS: FusedActivation[] = ['linear', 'relu', 'leaky', 'silu', 'mish'];
const SHAPES: [number, number, number, number][] = [
  [1, 5, 5, 3], // tail lanes only
  [4, 16, 16, 8], // vectors only, 1,024 pixels: 16 summing blocks
  [2, 3, 11, 13], // both
];

/** [y, dx, dγ, dβ, batch-updated running mean and var] of the fused op, with γ spread so that z reaches ±60. */
function run(shape: [number, number, number, number], act: FusedActivation): tf.Tensor[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const c = shape[3];
  const x = tf.tensor4d(randomValues(size, 7).map((v, i) => 3 * v + (i % c)), shape);
  const gamma = tf.tensor1d(randomValues(c, 8).map((v) => 30 * v));
  const beta = tf.tensor1d(randomValues(c, 9).map((v) => 2 * v));
  const dy = tf.tensor4d(randomValues(size, 10), shape);
  const runningMean = tf.variable(tf.zeros([c]));
  const runningVar = tf.variable(tf.ones([c]));
  const { value, grads } = tf.valueAndGrads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
    batchNormActTrain(xi as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, { eps: 1e-3, act, momentum: 0.03, runningMean, runningVar }),
  )([x, gamma, beta], dy);
  const out = [value, ...grads, tf.clone(runningMean), tf.clone(runningVar)];
  tf.dispose([runningMean, runningVar]);
  return out;
}

const NAMES = ['y', 'dx', 'dgamma', 'dbeta', 'running mean', 'running var'];

describe.each(ACTS)('wasm fused BatchNorm + %s kernels', (act) => {
  it.each(SHAPES.map((s) => [s.join('x'), s] as const))('%s equals the cpu tf ops value by value', async (_, shape) => {
    const expected = await onBackend('cpu', () => run(shape, act));
    const actual = await onBackend('wasm', () => run(shape, act));
    actual.forEach((values, t) => {
      const scale = expected[t].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      values.forEach((v, i) => {
        const want = expected[t][i];
        // float32 sums over up to 1,024 pixels: a small part of the tensor's scale, plus a relative part per value.
        expect(Math.abs(v - want), `${NAMES[t]}[${i}]`).toBeLessThanOrEqual(2e-5 * scale + 1e-4 * Math.abs(want) + 1e-6);
      });
    });
  });
});

describe('wasm fused BatchNorm statistics', () => {
  it('normalise a nearly constant image as float64 does (tfjs wasm Mean alone was off by 7e-4 here)', async () => {
    // A grey image with a bright patch: the mean is large against the spread, as after the first convs on letterboxed
    // images. Per-channel sums of 8,192 pixels: f32 blocks carried in f64 keep them exact to float32.
    const shape: [number, number, number, number] = [8, 32, 32, 4];
    const size = shape.reduce((a, b) => a * b, 1);
    const c = shape[3];
    const pixels = size / c;
    const x = randomValues(size, 7).map((v, i) => (i % 97 < 10 ? 0.95 : 0.45) + 1e-3 * v + 3 * (i % c));
    const expected = new Float64Array(size);
    for (let k = 0; k < c; k++) {
      let mean = 0;
      for (let p = 0; p < pixels; p++) mean += x[p * c + k];
      mean /= pixels;
      let variance = 0;
      for (let p = 0; p < pixels; p++) variance += (x[p * c + k] - mean) ** 2;
      const rstd = 1 / Math.sqrt(variance / pixels + 1e-3);
      for (let p = 0; p < pixels; p++) expected[p * c + k] = (x[p * c + k] - mean) * rstd;
    }
    const [y] = await onBackend('wasm', () => {
      const running = { runningMean: tf.variable(tf.zeros([c])), runningVar: tf.variable(tf.ones([c])) };
      const out = batchNormActTrain(tf.tensor4d(x, shape), tf.ones([c]), tf.zeros([c]), { eps: 1e-3, act: 'linear', momentum: 0.03, ...running });
      tf.dispose([running.runningMean, running.runningVar]);
      return [out];
    });
    const worst = y.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
    expect(worst).toBeLessThan(1e-5);
  });
});
