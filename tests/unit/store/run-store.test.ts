import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { MAX_STORED_PREDICTION_BYTES, RunStore } from '../../../src/store/run-store';
import type { PredictionImage } from '../../../src/run/progress';
import type { EpochRow, RunRecord, StepRow } from '../../../src/store/records';
import type { RunSettings } from '../../../src/run/settings';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';

let dbCounter = 0;
const freshStore = () => RunStore.open(`run-store-test-${++dbCounter}`);

function settings(runId: string): RunSettings {
  return {
    runId,
    name: `run ${runId}`,
    modelYaml: 'nc: 4\n',
    modelName: 'yolov4-resnet50.yaml',
    scale: 'n',
    nc: 4,
    classNames: ['motorcycle', 'car', 'bus', 'truck'],
    data: { kind: 'url', baseUrl: 'data/vehicles/' },
    hypYaml: '',
    hypOverrides: { lr0: 0.02 },
    img: 64,
    batch: 4,
    epochs: 3,
    seed: 1,
    backend: 'webgpu',
  };
}

function run(runId: string, createdAt: number): RunRecord {
  return {
    runId,
    settings: settings(runId),
    status: 'idle',
    createdAt,
    updatedAt: createdAt,
    attempt: 0,
    epochsDone: 0,
    globalStep: 0,
    bestMap50: 0,
    trainMs: 0,
  };
}

function stepRow(runId: string, attempt: number, globalStep: number): StepRow {
  return {
    runId,
    attempt,
    epoch: 0,
    iteration: globalStep - 1,
    itersPerEpoch: 10,
    globalStep,
    values: {
      'train/box_loss': 0.1 * globalStep,
      'train/obj_loss': 0.2,
      'train/cls_loss': 0.3,
      'x/lr0': 0.01,
      'x/lr1': 0.01,
      'x/lr2': 0.09,
    },
    imagesPerSec: 3,
    memoryBytes: 1000,
    numTensors: 50,
    time: 1000 + globalStep,
  };
}

function epochRow(runId: string, epoch: number, map50: number): EpochRow {
  const record = Object.fromEntries(EPOCH_TAGS.map((tag) => [tag, 0.5])) as EpochRecord;
  record.epoch = epoch;
  record['metrics/mAP_0.5'] = map50;
  return { runId, attempt: 0, record, time: 5000 + epoch };
}

function bytes(n: number, fill: number): ArrayBuffer {
  return new Uint8Array(n).fill(fill).buffer;
}

describe('RunStore', () => {
  it('keeps runs, newest first, and survives reopening (a page reload)', async () => {
    const name = `run-store-reload-${++dbCounter}`;
    const first = await RunStore.open(name);
    await first.putRun(run('a', 1));
    await first.putRun(run('b', 2));
    await first.renameRun('a', 'renamed');
    first.close();

    const reopened = await RunStore.open(name);
    const runs = await reopened.listRuns();
    expect(runs.map((r) => r.runId)).toEqual(['b', 'a']);
    expect(runs[1].settings.name).toBe('renamed');
    expect(runs[1].settings.hypOverrides).toEqual({ lr0: 0.02 });
    reopened.close();
  });

  it('appends history per run and attempt, and moves the run counters', async () => {
    const store = await freshStore();
    await store.putRun(run('a', 1));
    await store.putRun(run('b', 2));
    await store.appendHistory('a', [stepRow('a', 0, 1), stepRow('a', 0, 2)], []);
    await store.appendHistory('b', [stepRow('b', 0, 1)], []);
    await store.appendHistory('a', [stepRow('a', 0, 3)], [epochRow('a', 0, 0.25)]);
    // A resumed attempt re-logs step 3: the earlier point is kept, not overwritten.
    await store.appendHistory('a', [stepRow('a', 1, 3), stepRow('a', 1, 4)], [epochRow('a', 1, 0.4)]);

    const history = await store.getHistory('a');
    expect(history.steps.map((s) => [s.attempt, s.globalStep])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 3],
      [1, 4],
    ]);
    expect(history.epochs.map((e) => e.record.epoch)).toEqual([0, 1]);
    expect((await store.getHistory('b')).steps).toHaveLength(1);

    const a = await store.getRun('a');
    expect(a?.globalStep).toBe(4);
    expect(a?.epochsDone).toBe(2);
    expect(a?.bestMap50).toBe(0.4);
    store.close();
  });

  it('saves checkpoints atomically with the run, keeps the newest, and loads the latest', async () => {
    const store = await freshStore();
    await store.putRun(run('a', 1));
    for (const step of [10, 20, 30]) {
      await store.saveCheckpoint(
        { runId: 'a', epoch: step / 10, globalStep: step, reason: 'epoch', savedAt: step, bytes: 16, weights: bytes(8, step), state: bytes(8, step + 1) },
        2,
      );
    }
    expect((await store.listCheckpoints('a')).map((c) => c.globalStep)).toEqual([20, 30]);
    const latest = await store.loadLatestCheckpoint('a');
    expect(latest?.globalStep).toBe(30);
    expect(new Uint8Array(latest!.weights)[0]).toBe(30);
    expect(new Uint8Array(latest!.state)[7]).toBe(31);
    expect((await store.getRun('a'))?.lastCheckpoint).toMatchObject({ epoch: 3, globalStep: 30, reason: 'epoch', bytes: 16 });
    store.close();
  });

  it('deleteOldCheckpoints frees space across runs without touching history', async () => {
    const store = await freshStore();
    for (const id of ['a', 'b']) {
      await store.putRun(run(id, 1));
      await store.appendHistory(id, [stepRow(id, 0, 1)], [epochRow(id, 0, 0.1)]);
      for (const step of [1, 2, 3]) {
        await store.saveCheckpoint(
          { runId: id, epoch: step, globalStep: step, reason: 'epoch', savedAt: step, bytes: 100, weights: bytes(4, 1), state: bytes(4, 2) },
          5,
        );
      }
    }
    const freed = await store.deleteOldCheckpoints(1);
    expect(freed).toEqual({ deleted: 4, freedBytes: 400 });
    expect((await store.listCheckpoints()).map((c) => [c.runId, c.globalStep])).toEqual([
      ['a', 3],
      ['b', 3],
    ]);
    expect((await store.getHistory('a')).steps).toHaveLength(1);
    expect((await store.getHistory('b')).epochs).toHaveLength(1);
    store.close();
  });

  it('deleteRun removes the run with its history and checkpoints only', async () => {
    const store = await freshStore();
    for (const id of ['a', 'ab']) {
      await store.putRun(run(id, 1));
      await store.appendHistory(id, [stepRow(id, 0, 1)], [epochRow(id, 0, 0.1)]);
      await store.saveCheckpoint({ runId: id, epoch: 1, globalStep: 1, reason: 'stop', savedAt: 1, bytes: 8, weights: bytes(4, 1), state: bytes(4, 1) });
    }
    await store.deleteRun('a');
    expect(await store.getRun('a')).toBeUndefined();
    expect(await store.getHistory('a')).toEqual({ steps: [], epochs: [] });
    expect(await store.loadLatestCheckpoint('a')).toBeUndefined();
    // A run whose id starts with the deleted one's is untouched.
    expect((await store.getHistory('ab')).steps).toHaveLength(1);
    expect(await store.loadLatestCheckpoint('ab')).toBeDefined();
    store.close();
  });

  it('opens a version-1 store (before views existed) with its runs, history and checkpoints intact', async () => {
    const name = `run-store-v1-${++dbCounter}`;
    // Version 1 as the page created it until views were added.
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'runId' });
        database.createObjectStore('steps', { keyPath: ['runId', 'attempt', 'globalStep'] });
        database.createObjectStore('epochs', { keyPath: ['runId', 'attempt', 'record.epoch'] });
        database.createObjectStore('checkpoints', { keyPath: ['runId', 'globalStep'] });
        database.createObjectStore('checkpointData');
      },
    });
    await v1.put('runs', run('old', 1));
    await v1.put('steps', stepRow('old', 0, 1));
    await v1.put('epochs', epochRow('old', 0, 0.3));
    v1.close();

    const store = await RunStore.open(name);
    expect((await store.getRun('old'))?.settings.name).toBe('run old');
    expect((await store.getHistory('old')).epochs[0].record['metrics/mAP_0.5']).toBe(0.3);
    expect(await store.getViews('old')).toBeUndefined();
    await store.putFeatureMaps('old', { epoch: 0, image: 'a.jpg', maps: [] });
    expect((await store.getViews('old'))?.featureMaps?.image).toBe('a.jpg');
    store.close();
  });

  it('keeps the newest predictions within MAX_STORED_PREDICTION_BYTES beside the feature maps; deleteRun removes both', async () => {
    const store = await freshStore();
    await store.putRun(run('v', 1));
    const image = (name: string, size: number): PredictionImage => ({ name, width: 1, height: 1, encoding: 'rgba8', bytes: bytes(size, 1), predictions: [], truth: [] });
    const big = MAX_STORED_PREDICTION_BYTES / 2 - 10;
    await store.putFeatureMaps('v', { epoch: 2, image: 'a.jpg', maps: [] });
    await store.putPredictions('v', 2, [image('a', big), image('b', big), image('c', big)]);
    const views = await store.getViews('v');
    expect(views?.predictions?.images.map((i) => i.name)).toEqual(['a', 'b']);
    expect(views?.featureMaps?.epoch).toBe(2);
    await store.putPredictions('v', 3, [image('d', 8)]);
    expect((await store.getViews('v'))?.predictions).toMatchObject({ epoch: 3, images: [{ name: 'd' }] });
    await store.deleteRun('v');
    expect(await store.getViews('v')).toBeUndefined();
    store.close();
  });
});
