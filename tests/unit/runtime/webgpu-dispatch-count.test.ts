/**
 * The WebGPU cost of a training step, counted (not timed): the e2e smoke net's train step (tests/unit/worker/tiny-run.ts,
 * the net the Chromium e2e fixture trains) on Dawn + lavapipe. A count is exact on any adapter, so a change that adds
 * dispatches fails here, in CI, without a GPU.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/model';
import { setBackend } from '../../../src/runtime/backend';
import { countGpuWork, webgpuDevice } from '../../../src/runtime/dispatch-counter';
import { SCRATCH_HYP } from '../../../src/train/hyp';
import { Trainer } from '../../../src/train/trainer';
import { makeBatch } from '../train/fixed-batches';
import { TINY_YAML } from '../worker/tiny-run';
import { hasLavapipe } from './compare';

/** Measured 2026-12-04 on Dawn + lavapipe (tfjs 4.22): lower it when a change removes dispatches, never raise it. */
const MAX_DISPATCHES_PER_STEP = 722;

describe.runIf(hasLavapipe)('WebGPU dispatches per train step', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the smoke net trains in at most MAX_DISPATCHES_PER_STEP dispatches, with flat tensors', async () => {
    await setBackend('webgpu');
    const device = webgpuDevice();
    expect(device).toBeDefined();
    const model = buildModel(TINY_YAML, { nc: 4, seed: 1 });
    const emaModel = buildModel(TINY_YAML, { nc: 4, seed: 1 });
    const batch = makeBatch(2, 32, 3);
    const trainer = new Trainer({
      model,
      emaModel,
      train: { batchesPerEpoch: 100, epoch: () => ({ [Symbol.asyncIterator]: async function* () {} }) },
      // No accumulation: every step runs the optimizer and the EMA, as the count should include them.
      hyp: { ...SCRATCH_HYP, nbs: 2 },
      epochs: 1,
      batch: 2,
      seed: 0,
    });
    await trainer.trainStep(batch); // first step: pipelines compiled, buffers allocated
    const tensors = tf.memory().numTensors;
    const { counts } = await countGpuWork(device!, () => trainer.trainStep(batch));
    const again = await countGpuWork(device!, () => trainer.trainStep(batch));
    console.log(`smoke net train step on webgpu: ${counts.dispatches} dispatches, ${counts.uploadBytes} bytes uploaded`);
    expect(again.counts.dispatches).toBe(counts.dispatches);
    expect(counts.dispatches).toBeGreaterThan(0);
    expect(counts.dispatches).toBeLessThanOrEqual(MAX_DISPATCHES_PER_STEP);
    expect(tf.memory().numTensors).toBe(tensors);
    trainer.dispose();
    model.dispose();
    emaModel.dispose();
  });
});
