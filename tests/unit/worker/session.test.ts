import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../src/model/safetensors';
import { RunStore } from '../../../src/store/run-store';
import { EPOCH_TAGS } from '../../../src/train/tags';
import { Harness, losableCpuDevice, tinySettings } from './harness';
import { maxAbsDiff, weightsOf } from './weights-diff';

let dbCount = 0;
const openStore = () => RunStore.open(`session-test-${++dbCount}`);

describe('TrainingSession through the in-process transport', () => {
  it('trains a run to the end: ready, summary, steps, 13-tag epochs, checkpoints, predictions, persisted history', async () => {
    const store = await openStore();
    const h = new Harness({ store });
    const settings = tinySettings('plain', { epochs: 2 });
    // Count readbacks as each step event arrives: `read` is what data() calls. (readSync is not counted: the cpu
    // backend's own kernels call it to read their inputs, which is no device transfer.)
    const readsAtStep: number[] = [];
    let reads = 0;
    await tf.setBackend('cpu');
    const backend = tf.backend();
    const read = backend.read.bind(backend);
    backend.read = (dataId) => (reads++, read(dataId));
    h.client.on('step', () => readsAtStep.push(reads));
    h.client.init(settings);
    h.client.start();
    await h.waitForDone();
    backend.read = read;
    // Steps 1→2 and 3→4 are within an epoch: exactly one readback each (the losses).
    expect(readsAtStep[1] - readsAtStep[0]).toBe(1);
    expect(readsAtStep[3] - readsAtStep[2]).toBe(1);

    const ready = h.of('ready')[0];
    expect(ready).toMatchObject({ backend: 'cpu', requested: 'cpu', adapter: null });
    expect(h.of('summary')[0].summary.parameters).toBeGreaterThan(1000);

    const steps = h.of('step');
    expect(steps.map((s) => s.globalStep)).toEqual([1, 2, 3, 4]);
    expect(steps.map((s) => [s.epoch, s.iteration])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    for (const step of steps) {
      expect(step.itersPerEpoch).toBe(2);
      expect(Number.isFinite(step.values['train/box_loss'])).toBe(true);
      expect(step.values['x/lr2']).toBeGreaterThan(0);
      expect(step.numTensors).toBeGreaterThan(0);
    }
    // numTensors does not grow from one epoch to the next. Steps 1 and 3 (ni 0 and 2) both end with an optimizer
    // step (warm-up accumulation is 1 then 2), so no summed gradients are pending at either.
    expect(steps[2].numTensors).toBe(steps[0].numTensors);

    const epochs = h.of('epoch');
    expect(epochs.map((e) => e.record.epoch)).toEqual([0, 1]);
    expect(Object.keys(epochs[0].record).sort()).toEqual(['epoch', ...EPOCH_TAGS].sort());
    expect(epochs[0].details?.confusion).toHaveLength(5);

    expect(h.of('checkpoint').map((c) => [c.reason, c.epoch, c.globalStep, c.saved])).toEqual([
      ['epoch', 1, 2, true],
      ['epoch', 2, 4, true],
      ['done', 2, 4, true],
    ]);
    const predictions = h.of('predictions')[0];
    expect(predictions.images).toHaveLength(2);
    expect(predictions.images[0].bytes.byteLength).toBe(32 * 32 * 4);
    expect(predictions.images[0].truth.length).toBeGreaterThan(0);
    expect(h.of('done')[0]).toMatchObject({ epochs: 2 });

    const run = await store.getRun('plain');
    expect(run).toMatchObject({ status: 'done', epochsDone: 2, globalStep: 4, attempt: 0 });
    const history = await store.getHistory('plain');
    expect(history.steps.map((s) => s.globalStep)).toEqual([1, 2, 3, 4]);
    expect(history.epochs.map((e) => e.record['train/box_loss'])).toEqual(epochs.map((e) => e.record['train/box_loss']));

    // Each epoch's end sends the EMA model's feature maps of the first val image: the tiny YAML's stride-4…32 convs
    // (C2–C5) and Detect's three inputs (P3–P5, the same layers here), at 32 px.
    const featureMaps = h.of('feature-maps').map((e) => e.featureMaps);
    expect(featureMaps.map((set) => set.epoch)).toEqual([0, 1]);
    expect(featureMaps[1].image).toBe(predictions.images[0].name);
    expect(featureMaps[1].maps.map((m) => `${m.name} layer ${m.layer} ${m.width}×${m.height}×${m.channels}`)).toEqual([
      'C2 layer 1 8×8×8',
      'C3 layer 2 4×4×16',
      'C4 layer 3 2×2×16',
      'C5 layer 4 1×1×16',
      'P3 layer 2 4×4×16',
      'P4 layer 3 2×2×16',
      'P5 layer 4 1×1×16',
    ]);
    // The newest of them, and the newest val predictions, stay with the run for the Predictions tab after a reload.
    const views = await store.getViews('plain');
    expect(views?.featureMaps).toEqual(featureMaps[1]);
    const lastPredictions = h.of('predictions').at(-1)!;
    expect(views?.predictions?.epoch).toBe(lastPredictions.epoch);
    expect(views?.predictions?.images.map((i) => [i.name, i.bytes.byteLength, i.predictions.length])).toEqual(
      lastPredictions.images.map((i) => [i.name, i.bytes.byteLength, i.predictions.length]),
    );
    store.close();
  });
});

describe('recovery', () => {
  it('resumes a crashed run from its last checkpoint in a fresh worker: same results as an uninterrupted run, no logged point lost', async () => {
    const store = await openStore();
    // The uninterrupted reference.
    const reference = new Harness({ store });
    reference.client.init(tinySettings('reference'));
    reference.client.start();
    await reference.waitForDone();
    reference.client.exportWeights('ema');
    const referenceWeights = weightsOf((await reference.waitFor('weights')).bytes);

    // The same run, crashed just after its epoch-1 checkpoint, while epoch 1's first step is already under way.
    const h = new Harness({ store });
    const settings = tinySettings('crashy');
    h.client.init(settings);
    h.client.start();
    await h.waitFor('checkpoint', (c) => c.reason === 'epoch' && c.epoch === 1);
    await h.waitFor('step', (s) => s.globalStep === 3);
    h.worker.crash('RangeError: simulated out of memory');

    const crash = h.of('error').find((e) => e.code === 'worker-crash');
    expect(crash?.message).toContain('simulated out of memory');
    expect(crash?.offers).toEqual([{ kind: 'resume-from-checkpoint', runId: 'crashy' }]);
    expect(h.of('state').at(-1)).toMatchObject({ status: 'paused', cause: expect.stringContaining('out of memory') });
    expect(h.client.hasWorker).toBe(false);
    await h.worker.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.getRun('crashy')).toMatchObject({ status: 'paused', cause: expect.stringContaining('out of memory') });

    // A page reload would find the run in the store; resume it in a fresh worker.
    const stored = await store.getRun('crashy');
    const before = h.events.length;
    h.client.resumeRun(stored!.settings);
    await h.waitForDone(before);
    expect(h.workers).toHaveLength(2);
    expect(h.of('log').some((l) => l.message.includes('resumed from the checkpoint at epoch 1, step 2 (attempt 1)'))).toBe(true);

    // Epochs 1 and 2 after the resume equal the uninterrupted run's, and so do the final EMA weights.
    const resumedEpochs = h.of('epoch').filter((e) => e.attempt === 1);
    expect(resumedEpochs.map((e) => e.record.epoch)).toEqual([1, 2]);
    const referenceEpochs = reference.of('epoch');
    for (const resumed of resumedEpochs) {
      const expected = referenceEpochs[resumed.record.epoch].record;
      for (const tag of EPOCH_TAGS) expect(resumed.record[tag]).toBeCloseTo(expected[tag], 5);
    }
    h.client.exportWeights('ema');
    const resumedWeights = weightsOf((await h.waitFor('weights', (w) => h.events.indexOf(w) > before)).bytes);
    expect(maxAbsDiff(resumedWeights, referenceWeights)).toBeLessThan(1e-5);

    // Every point logged before the crash is still stored, under attempt 0, beside the recomputed ones.
    const history = await store.getHistory('crashy');
    const attempt0 = history.steps.filter((s) => s.attempt === 0).map((s) => s.globalStep);
    const attempt1 = history.steps.filter((s) => s.attempt === 1).map((s) => s.globalStep);
    expect(attempt0).toEqual([1, 2, 3]);
    expect(attempt1).toEqual([3, 4, 5, 6]);
    const step3 = history.steps.filter((s) => s.globalStep === 3);
    expect(step3[1].values['train/box_loss']).toBeCloseTo(step3[0].values['train/box_loss'], 5);
    expect(await store.getRun('crashy')).toMatchObject({ status: 'done', attempt: 1, epochsDone: 3, globalStep: 6 });
    store.close();
  });

  it('stops on a non-finite loss, naming the step and the loss term', async () => {
    const store = await openStore();
    const h = new Harness({ store });
    // An objectness gain of 1e38 makes the run blow up within its first steps: a real overflow, not a stub.
    h.client.init(tinySettings('nan', { hypOverrides: { obj: 1e38 } }));
    h.client.start();
    const failed = await h.waitForState('failed');

    const error = h.of('error').find((e) => e.code === 'non-finite-loss');
    const context = error!.context;
    const stepsLogged = h.of('step').length;
    expect(context.globalStep).toBe(stepsLogged + 1);
    expect(['box', 'obj', 'cls']).toContain(context.lossTerm);
    expect(Number.isFinite(context.value)).toBe(false);
    expect(error?.message).toContain(`The ${context.lossTerm} loss became ${String(context.value)} at step ${context.globalStep}`);
    expect(failed.cause).toBe(error?.message);
    expect(await store.getRun('nan')).toMatchObject({ status: 'failed', cause: error?.message });
    // The steps before the failure are kept.
    expect((await store.getHistory('nan')).steps).toHaveLength(stepsLogged);
    store.close();
  });

  it('pauses on a lost device, with the cause; resuming continues from the last checkpoint in a fresh worker', async () => {
    const store = await openStore();
    const device = losableCpuDevice();
    const h = new Harness({ store, prepareBackend: device.prepare });
    const settings = tinySettings('lost', { epochs: 2 });
    h.client.init(settings);
    h.client.start();
    await h.waitFor('checkpoint', (c) => c.epoch === 1);
    device.lose('simulated GPU reset (reason: unknown)');
    // The paused state first, then the error, on which the client drops the worker.
    const error = await h.waitFor('error', (e) => e.code === 'device-lost');
    const paused = h.of('state').at(-1)!;
    expect(paused).toMatchObject({ status: 'paused', cause: expect.stringContaining('GPU device lost: simulated GPU reset') });
    expect(error?.offers).toEqual([{ kind: 'resume-from-checkpoint', runId: 'lost' }]);
    // No checkpoint after the loss: the weights went with the device.
    expect(h.of('checkpoint').map((c) => c.reason)).toEqual(['epoch']);
    expect(h.client.hasWorker).toBe(false);
    expect(await store.getRun('lost')).toMatchObject({ status: 'paused', cause: paused.cause });
    const loggedBefore = (await store.getHistory('lost')).steps.length;

    const since = h.events.length;
    h.client.resumeRun((await store.getRun('lost'))!.settings);
    await h.waitForDone(since);
    const history = await store.getHistory('lost');
    expect(history.steps.filter((s) => s.attempt === 0)).toHaveLength(loggedBefore);
    expect(history.steps.filter((s) => s.attempt === 1).map((s) => s.globalStep)).toEqual([3, 4]);
    expect(history.epochs.map((e) => [e.attempt, e.record.epoch])).toEqual([[0, 0], [1, 1]]);
    store.close();
  });

  it('pauses on a WebAssembly trap (a full wasm heap), with the cause; resuming continues in a fresh worker', async () => {
    // The cpu backend's conv traps once, as tfjs' wasm module does when its 4 GB heap is full.
    const stock = tf.getKernel('Conv2D', 'cpu')!;
    let armed = false;
    tf.unregisterKernel('Conv2D', 'cpu');
    tf.registerKernel({
      ...stock,
      kernelFunc: (args) => {
        if (armed) {
          armed = false;
          throw new WebAssembly.RuntimeError('memory access out of bounds');
        }
        return stock.kernelFunc(args);
      },
    });
    try {
      const store = await openStore();
      const h = new Harness({ store });
      h.client.init(tinySettings('trap', { epochs: 2 }));
      h.client.start();
      await h.waitFor('checkpoint', (c) => c.epoch === 1);
      armed = true;
      const error = await h.waitFor('error', (e) => e.code === 'worker-crash');
      expect(error?.message).toContain('WebAssembly failed (memory access out of bounds)');
      expect(error?.message).toContain('4 GB');
      expect(error?.offers).toEqual([{ kind: 'resume-from-checkpoint', runId: 'trap' }]);
      expect(h.of('state').at(-1)).toMatchObject({ status: 'paused', cause: 'WebAssembly failed (memory access out of bounds)' });
      expect(h.client.hasWorker).toBe(false);

      const since = h.events.length;
      h.client.resumeRun((await store.getRun('trap'))!.settings);
      await h.waitForDone(since);
      expect((await store.getRun('trap'))?.status).toBe('done');
      store.close();
    } finally {
      tf.unregisterKernel('Conv2D', 'cpu');
      tf.registerKernel(stock);
    }
  });

  it('reports quota errors, offers to delete old checkpoints, and never loses history', async () => {
    const store = await openStore();
    // Storage is full from the first epoch's checkpoint until the user frees space after the quota error.
    let full = false;
    const realSave = store.saveCheckpoint.bind(store);
    const realAppend = store.appendHistory.bind(store);
    const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    store.saveCheckpoint = async (row, keep) => (full ? Promise.reject(quotaError()) : realSave(row, keep));
    store.appendHistory = async (runId, steps, epochs) => (full ? Promise.reject(quotaError()) : realAppend(runId, steps, epochs));

    const h = new Harness({ store });
    h.client.init(tinySettings('quota', { epochs: 2 }));
    h.client.on('step', (step) => {
      if (step.globalStep === 2) full = true;
    });
    h.client.on('error', (error) => {
      if (error.code === 'quota-exceeded' && error.context.phase === 'checkpoint') full = false;
    });
    h.client.start();
    await h.waitForDone();

    const quotaErrors = h.of('error').filter((e) => e.code === 'quota-exceeded');
    expect(quotaErrors.length).toBeGreaterThanOrEqual(1);
    for (const error of quotaErrors) expect(error.offers).toEqual([{ kind: 'delete-old-checkpoints', runId: 'quota' }]);
    const refused = h.of('checkpoint').find((c) => !c.saved);
    expect(refused).toMatchObject({ reason: 'epoch', epoch: 1 });
    expect(quotaErrors.some((e) => e.context.phase === 'checkpoint' && e.message.includes('was not saved'))).toBe(true);
    // The later checkpoints were saved once there was room, and every step and epoch reached the store.
    expect(h.of('checkpoint').filter((c) => c.saved).map((c) => c.reason)).toEqual(['epoch', 'done']);
    const history = await store.getHistory('quota');
    expect(history.steps.map((s) => s.globalStep)).toEqual([1, 2, 3, 4]);
    expect(history.epochs.map((e) => e.record.epoch)).toEqual([0, 1]);
    store.close();
  });

  it('names an unavailable backend and offers the others with a speed warning', async () => {
    const store = await openStore();
    const { prepareBackend } = await import('../../../src/worker/backend-setup');
    const h = new Harness({ store, prepareBackend });
    // webgl needs a browser: the real backend selection refuses it in Node.
    h.client.init(tinySettings('nowebgl', { backend: 'webgl' }));
    const error = await h.waitFor('error');
    expect(error.code).toBe('backend-unavailable');
    expect(error.message).toMatch(/^webgl is not available: webgl needs a browser/);
    expect(error.offers?.map((o) => o.kind === 'switch-backend' && o.backend)).toEqual(['wasm', 'webgpu']);
    expect(error.offers?.every((o) => o.kind === 'switch-backend' && o.warning.length > 20)).toBe(true);
    h.client.start();
    const refusal = await h.waitFor('error', (e) => e.code === 'invalid-settings');
    expect(refusal.message).toContain("'start' needs a successful 'init' first");
    store.close();
  });
});

describe('controls', () => {
  it('step-once, pause, resume, validate-now, export-weights and stop, each answered at a step boundary', async () => {
    const store = await openStore();
    const h = new Harness({ store });
    h.client.init(tinySettings('controls', { epochs: 5 }));
    await h.waitForState('idle');
    h.client.stepOnce();
    await h.waitFor('state', (s) => s.status === 'paused');
    expect(h.of('step').map((s) => s.globalStep)).toEqual([1]);

    h.client.validateNow();
    const validation = await h.waitFor('validation');
    expect(validation).toMatchObject({ epoch: 0, globalStep: 1 });
    expect(Number.isFinite(validation.values['val/obj_loss'])).toBe(true);
    expect((await h.waitFor('predictions')).epoch).toBe(0);

    h.client.resume();
    await h.waitFor('step', (s) => s.globalStep === 3);
    h.client.pause();
    const paused = await h.waitFor('state', (s) => s.status === 'paused' && (s.globalStep ?? 0) >= 3);
    const pauseCheckpoint = h.of('checkpoint').find((c) => c.reason === 'pause');
    expect(pauseCheckpoint?.globalStep).toBe(paused.globalStep);
    const stepsAtPause = h.of('step').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.of('step')).toHaveLength(stepsAtPause);

    h.client.exportWeights('raw');
    const weights = await h.waitFor('weights');
    expect(weights).toMatchObject({ which: 'raw', fileName: 'controls-raw.safetensors' });
    expect(Object.keys(decodeSafetensors(new Uint8Array(weights.bytes)))).toContain('model.0.conv.weight');

    h.client.stop();
    await h.waitForState('stopped');
    expect(h.of('checkpoint').at(-1)?.reason).toBe('stop');
    expect(await store.getRun('controls')).toMatchObject({ status: 'stopped', globalStep: stepsAtPause });
    expect((await store.loadLatestCheckpoint('controls'))?.reason).toBe('stop');
    store.close();
  });
});
