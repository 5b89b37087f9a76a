import 'fake-indexeddb/auto';
import { strFromU8, unzipSync, zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../src/store/run-store';
import { exportRunFile, importRunFile } from '../../../src/store/run-transfer';
import { decodeRunFile, RunFileError } from '../../../src/store/run-file';
import { latestEpochRecords, resultsCsvOf } from '../../../src/store/results';
import type { EpochRow, RunRecord } from '../../../src/store/records';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';

function record(epoch: number, map50: number): EpochRecord {
  const values = Object.fromEntries(EPOCH_TAGS.map((tag, i) => [tag, (i + 1) / 100])) as EpochRecord;
  return { ...values, epoch, 'metrics/mAP_0.5': map50 };
}

function epochRow(runId: string, attempt: number, epoch: number, map50: number): EpochRow {
  return { runId, attempt, record: record(epoch, map50), time: 1000 * epoch };
}

function runRecord(runId: string): RunRecord {
  return {
    runId,
    settings: {
      runId,
      name: 'resnet50 try',
      modelYaml: 'nc: 4\ndepth_multiple: 0.33\n',
      modelName: 'yolov4-resnet50.yaml',
      scale: 's',
      nc: 4,
      classNames: ['motorcycle', 'car', 'bus', 'truck'],
      data: { kind: 'files', files: [{ path: 'images/train/a.jpg', file: new Blob([new Uint8Array([1, 2, 3])]) }], format: 'yolo' },
      hypYaml: 'lr0: 0.02\n',
      hypOverrides: {},
      img: 64,
      batch: 2,
      epochs: 4,
      seed: 3,
      backend: 'webgpu',
    },
    status: 'running',
    createdAt: 10,
    updatedAt: 10,
    attempt: 1,
    epochsDone: 0,
    globalStep: 0,
    bestMap50: 0,
    trainMs: 1234,
  };
}

describe('results.csv of a stored run', () => {
  it('takes the latest attempt of each epoch and writes YOLOv5’s columns', () => {
    const rows = [epochRow('r', 0, 0, 0.1), epochRow('r', 0, 1, 0.2), epochRow('r', 1, 1, 0.25), epochRow('r', 1, 2, 0.3)];
    expect(latestEpochRecords(rows).map((r) => [r.epoch, r['metrics/mAP_0.5']])).toEqual([
      [0, 0.1],
      [1, 0.25],
      [2, 0.3],
    ]);
    const lines = resultsCsvOf(rows).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(',').map((s) => s.trim())).toEqual(['epoch', ...EPOCH_TAGS]);
    expect(lines[2].split(',').map((s) => s.trim())[6]).toBe('0.25');
  });
});

describe('run files', () => {
  it('round-trips settings, history and the last checkpoint through export and import', async () => {
    const store = await RunStore.open('run-file-roundtrip');
    await store.putRun(runRecord('r1'));
    const step = {
      runId: 'r1',
      attempt: 1,
      epoch: 0,
      iteration: 0,
      itersPerEpoch: 2,
      globalStep: 1,
      values: { 'train/box_loss': 0.5, 'train/obj_loss': 0.4, 'train/cls_loss': 0.3, 'x/lr0': 0, 'x/lr1': 0, 'x/lr2': 0.1 },
      imagesPerSec: 2,
      memoryBytes: 10,
      numTensors: 5,
      time: 99,
    };
    await store.appendHistory('r1', [step], [epochRow('r1', 1, 0, 0.125)]);
    const weights = new Float32Array([1.5, -2, 3.25]).buffer;
    const state = new Uint8Array([9, 8, 7, 6]).buffer;
    await store.saveCheckpoint({ runId: 'r1', epoch: 1, globalStep: 2, reason: 'epoch', savedAt: 5, bytes: 16, weights, state });

    const file = await exportRunFile(store, 'r1');
    const entries = unzipSync(file);
    expect(Object.keys(entries).sort()).toEqual(
      ['checkpoint.bin', 'checkpoint.json', 'history/epochs.json', 'history/steps.json', 'results.csv', 'run.json', 'weights.safetensors'],
    );
    expect(strFromU8(entries['results.csv'])).toContain('0.125');
    // Imported images cannot travel in the file: the source keeps its format, without the blobs.
    expect(JSON.parse(strFromU8(entries['run.json'])).run.settings.data).toEqual({ kind: 'files', files: [], format: 'yolo' });

    // Importing into the same store: the id is taken, so the run comes in under a new one.
    const newId = await importRunFile(store, file, () => 'r2');
    expect(newId).toBe('r2');
    const imported = await store.getRun('r2');
    expect(imported?.settings.runId).toBe('r2');
    expect(imported?.settings.name).toBe('resnet50 try (imported)');
    expect(imported?.settings.hypYaml).toBe('lr0: 0.02\n');
    expect(imported?.status).toBe('paused');
    expect(imported?.trainMs).toBe(1234);
    expect(imported?.lastCheckpoint).toMatchObject({ epoch: 1, globalStep: 2 });
    const history = await store.getHistory('r2');
    expect(history.steps).toEqual([{ ...step, runId: 'r2' }]);
    expect(history.epochs[0].record['metrics/mAP_0.5']).toBe(0.125);
    const checkpoint = await store.loadLatestCheckpoint('r2');
    expect([...new Float32Array(checkpoint!.weights)]).toEqual([1.5, -2, 3.25]);
    expect([...new Uint8Array(checkpoint!.state)]).toEqual([9, 8, 7, 6]);
    // The original is untouched.
    expect((await store.getHistory('r1')).steps[0].runId).toBe('r1');
    expect((await store.getRun('r1'))?.settings.name).toBe('resnet50 try');
    store.close();
  });

  it('imports into another store under its own id and name, with the resume state', async () => {
    const source = await RunStore.open('run-file-source');
    await source.putRun({ ...runRecord('r1'), status: 'done' });
    await source.appendHistory('r1', [], [epochRow('r1', 1, 0, 0.5)]);
    const state = new Uint8Array([4, 2]).buffer;
    await source.saveCheckpoint({ runId: 'r1', epoch: 1, globalStep: 2, reason: 'epoch', savedAt: 5, bytes: 6, weights: new ArrayBuffer(4), state });
    const file = await exportRunFile(source, 'r1');
    source.close();

    const target = await RunStore.open('run-file-target');
    expect(await importRunFile(target, file, () => 'unused')).toBe('r1');
    const imported = await target.getRun('r1');
    expect(imported?.settings.name).toBe('resnet50 try');
    expect(imported?.status).toBe('done');
    expect([...new Uint8Array((await target.loadLatestCheckpoint('r1'))!.state)]).toEqual([4, 2]);
    target.close();
  });

  it('carries the run\'s val predictions and feature maps, and names a view entry whose size does not fit its shape', async () => {
    const source = await RunStore.open('run-file-views-source');
    await source.putRun({ ...runRecord('v1'), status: 'done' });
    const image = { name: 'val_00000.jpg', width: 2, height: 1, encoding: 'rgba8' as const, bytes: new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]).buffer, predictions: [{ x1: 0, y1: 0, x2: 1, y2: 1, cls: 1, score: 0.02 }], truth: [] };
    await source.putPredictions('v1', 4, [image]);
    const map = { name: 'C3', layer: 2, stride: 8, part: 'backbone' as const, channels: 16, width: 2, height: 2, min: 0.1, max: 0.9, values: new Uint8Array([0, 85, 170, 255]) };
    await source.putFeatureMaps('v1', { epoch: 4, image: 'val_00000.jpg', maps: [map] });
    const file = await exportRunFile(source, 'v1');
    source.close();

    const target = await RunStore.open('run-file-views-target');
    await importRunFile(target, file);
    const views = await target.getViews('v1');
    expect(views?.featureMaps).toEqual({ epoch: 4, image: 'val_00000.jpg', maps: [map] });
    expect(views?.predictions?.images.map((i) => [i.name, [...new Uint8Array(i.bytes)], i.predictions])).toEqual([['val_00000.jpg', [1, 2, 3, 255, 4, 5, 6, 255], image.predictions]]);
    target.close();

    const entries = unzipSync(file);
    entries['views/feature-maps/0.bin'] = new Uint8Array(3);
    expect(() => decodeRunFile(zipSync(entries))).toThrow(/views\/feature-maps\/0\.bin holds 3 bytes where its shape needs 4/);
  });

  it('rejects files that are not run files, with a reason', () => {
    expect(() => decodeRunFile(new Uint8Array([1, 2, 3]))).toThrow(RunFileError);
    expect(() => decodeRunFile(new Uint8Array([1, 2, 3]))).toThrow(/not a zip file/);
    const other = zipSync({ 'run.json': strToU8(JSON.stringify({ format: 'something-else' })) });
    expect(() => decodeRunFile(other)).toThrow(/not a lab run file/);
    const future = zipSync({ 'run.json': strToU8(JSON.stringify({ format: 'backbone-lab-run', version: 99, run: {} })) });
    expect(() => decodeRunFile(future)).toThrow(/version 99/);
  });
});
