/**
 * The webgpu backend's one-pass SGD and EMA updates (src/runtime/webgpu-kernels/fused-updates.ts) against the same
 * updates op by op on the cpu backend, through the training core's own GroupedSgd and ModelEma, on Dawn + lavapipe.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NamedParameter } from '../../../src/model/types';
import { GroupedSgd } from '../../../src/train/optimizer';
import { EMA_UPDATE, SGD_NESTEROV_UPDATE, hasFusedKernel } from '../../../src/train/update-kernels';
import { setBackend } from '../../../src/runtime/backend';
import { hasLavapipe, randomValues, relativeError } from './compare';

const SHAPES = [[3, 3, 4, 8], [8], [8], [1, 1, 8, 27], [27]];

/** Three SGD steps with per-group lrs and decay, then two EMA updates; returns every parameter, momentum and EMA value. */
async function run(backend: 'cpu' | 'webgpu'): Promise<{ values: Float32Array[]; fused: boolean }> {
  await setBackend(backend);
  const params: NamedParameter[] = SHAPES.map((shape, i) => ({
    name: `p${i}`,
    variable: tf.variable(tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), i + 1), shape)),
    group: ([1, 0, 2, 1, 2] as const)[i],
  }));
  const ema = params.map((p) => tf.variable(tf.zerosLike(p.variable)));
  const sgd = new GroupedSgd(params, 0.0005 * 16 / 64);
  for (let step = 0; step < 3; step++) {
    const grads = params.map((p, i) => tf.tensor(randomValues(p.variable.size, 100 * step + i), p.variable.shape));
    sgd.step(grads, [0.01 * (step + 1), 0.02, 0.1 - 0.01 * step], 0.8 + 0.05 * step);
    tf.dispose(grads);
  }
  for (const decay of [0.5, 0.9]) {
    params.forEach((p, i) => {
      const next = tf.tidy(() =>
        hasFusedKernel(EMA_UPDATE)
          ? (tf.engine().runKernel(EMA_UPDATE, { ema: ema[i], source: p.variable }, { decay }) as tf.Tensor)
          : tf.add(tf.mul(ema[i], decay), tf.mul(p.variable, 1 - decay)),
      );
      ema[i].assign(next);
      next.dispose();
    });
  }
  const tensors = [...params.map((p) => p.variable), ...sgd.state().map((s) => s.tensor), ...ema];
  const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  const fused = hasFusedKernel(SGD_NESTEROV_UPDATE) && hasFusedKernel(EMA_UPDATE);
  sgd.dispose();
  tf.dispose([...params.map((p) => p.variable), ...ema]);
  return { values, fused };
}

describe.runIf(hasLavapipe)('fused optimizer updates on webgpu', () => {
  it('equal the op-by-op SGD (nesterov, decay groups) and EMA on cpu', async () => {
    const reference = await run('cpu');
    expect(reference.fused).toBe(false);
    const webgpu = await run('webgpu');
    expect(webgpu.fused).toBe(true);
    webgpu.values.forEach((values, i) => expect(relativeError(values, reference.values[i]), `tensor ${i}`).toBeLessThan(1e-5));
    await tf.setBackend('cpu');
  });
});
