/**
 * The fused training BatchNorm + activation (src/model/modules/batch-norm-act.ts) against the same math as plain tf
 * ops differentiated by autodiff on cpu: output, dx, dγ, dβ and the batch statistics, for every activation, with a
 * non-uniform incoming gradient, and the running statistics it updates. Then the fused op on wasm (our SIMD kernels on
 * tfjs' heap) and webgpu (lavapipe; our WGSL kernels) against those cpu values.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activate, batchNormActTrain, type FusedActivation } from '../../../src/model/modules/batch-norm-act';
import { BN_ACT_FORWARD } from '../../../src/model/modules/batch-norm-act-kernel';
import { hasLavapipe, onBackend, randomValues, relativeError } from '../runtime/compare';

const SHAPE = [2, 9, 7, 6]; // odd spatial sizes, 126 rows per channel (more than a reduction workgroup), 6 channels
const EPS = 1e-3;
const MOMENTUM = 0.03;
const ACTS: FusedActivation[] = ['linear', 'relu', 'mish', 'silu', 'leaky'];

function inputs() {
  const size = SHAPE.reduce((a, b) => a * b, 1);
  // Channels with different offsets and scales, so the normalisation matters.
  const x = randomValues(size, 1).map((v, i) => v * (1 + (i % 6)) + (i % 6) - 2);
  return {
    x: tf.tensor4d(x, SHAPE as [number, number, number, number]),
    gamma: tf.tensor1d(randomValues(6, 2).map((v) => 1 + 0.5 * v)),
    beta: tf.tensor1d(randomValues(6, 3).map((v) => 0.3 * v)),
    dy: tf.tensor4d(randomValues(size, 4), SHAPE as [number, number, number, number]),
  };
}

type Bn = (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, running: { mean: tf.Variable; variance: tf.Variable }) => tf.Tensor;

/** [y, dx, dγ, dβ, running mean', running var'] through `bn`. */
function withGrads(bn: Bn): tf.Tensor[] {
  const { x, gamma, beta, dy } = inputs();
  const running = { mean: tf.variable(tf.tensor1d(randomValues(6, 5))), variance: tf.variable(tf.tensor1d(randomValues(6, 6).map((v) => 1 + 0.5 * v))) };
  const { value, grads } = tf.valueAndGrads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
    bn(xi as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, running),
  )([x, gamma, beta], dy);
  const stats = [tf.clone(running.mean), tf.clone(running.variance)];
  tf.dispose([running.mean, running.variance]);
  return [value, ...grads, ...stats];
}

const fused = (act: FusedActivation) => () =>
  withGrads((x, g, b, running) =>
    batchNormActTrain(x, g, b, { eps: EPS, act, momentum: MOMENTUM, runningMean: running.mean, runningVar: running.variance }),
  );

/** PyTorch's training BN by plain ops: normalise with the biased variance, update running stats with the unbiased. */
const unfused = (act: FusedActivation) => () =>
  withGrads((x, g, b, running) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const n = x.size / 6;
    running.mean.assign(tf.add(tf.mul(running.mean, 1 - MOMENTUM), tf.mul(mean, MOMENTUM)));
    running.variance.assign(tf.add(tf.mul(running.variance, 1 - MOMENTUM), tf.mul(tf.mul(variance, n / (n - 1)), MOMENTUM)));
    const z = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPS))), g), b);
    return activate(z, act);
  });

const names = ['y', 'dx', 'dgamma', 'dbeta', 'running mean', 'running var'];

describe.each(ACTS)('fused BatchNorm + %s', (act) => {
  it('equals autodiff of the unfused ops on cpu (values, gradients, statistics)', async () => {
    const expected = await onBackend('cpu', unfused(act));
    const actual = await onBackend('cpu', fused(act));
    expect(actual).toHaveLength(6);
    actual.forEach((a, i) => expect(relativeError(a, expected[i]), names[i]).toBeLessThan(1e-5));
  });

  const others = hasLavapipe ? (['wasm', 'webgpu'] as const) : (['wasm'] as const);
  it.each(others)('on %s equals the cpu reference', async (backend) => {
    const expected = await onBackend('cpu', unfused(act));
    const actual = await onBackend(backend, fused(act));
    expect(tf.getKernel(BN_ACT_FORWARD, backend)).toBeDefined();
    actual.forEach((a, i) => expect(relativeError(a, expected[i]), names[i]).toBeLessThan(1e-4));
  });
});
