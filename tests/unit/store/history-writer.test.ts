import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HistoryWriter, type HistorySink } from '../../../src/store/history-writer';
import { isQuotaError } from '../../../src/store/quota';
import { RunStore } from '../../../src/store/run-store';
import type { EpochRow, StepRow } from '../../../src/store/records';

function stepRow(globalStep: number): StepRow {
  return {
    runId: 'r',
    attempt: 0,
    epoch: 0,
    iteration: globalStep - 1,
    itersPerEpoch: 100,
    globalStep,
    values: { 'train/box_loss': 1, 'train/obj_loss': 1, 'train/cls_loss': 1, 'x/lr0': 0, 'x/lr1': 0, 'x/lr2': 0.1 },
    imagesPerSec: 1,
    memoryBytes: 0,
    numTensors: 0,
    time: globalStep,
  };
}

/** A real IndexedDB store that refuses writes, with the browser's QuotaExceededError, while `full` is set. */
class FullableStore implements HistorySink {
  full = false;
  constructor(readonly store: RunStore) {}
  async appendHistory(runId: string, steps: StepRow[], epochs: EpochRow[]): Promise<void> {
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    await this.store.appendHistory(runId, steps, epochs);
  }
}

describe('isQuotaError', () => {
  it('recognises the browsers’ quota errors, also when wrapped by a transaction abort', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', error: new DOMException('full', 'QuotaExceededError') })).toBe(true);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(new DOMException('gone', 'InvalidStateError'))).toBe(false);
  });
});

describe('HistoryWriter', () => {
  it('keeps rows in memory while storage is full, reports once, and writes every row in order later', async () => {
    const store = await RunStore.open('history-writer-quota');
    await store.putRun({
      runId: 'r',
      settings: {} as never,
      status: 'running',
      createdAt: 0,
      updatedAt: 0,
      attempt: 0,
      epochsDone: 0,
      globalStep: 0,
      bestMap50: 0,
      trainMs: 0,
    });
    const sink = new FullableStore(store);
    const failures: { quota: boolean; pending: number }[] = [];
    let recovered = 0;
    const writer = new HistoryWriter(sink, 'r', {
      onWriteFailed: (_error, quota, pending) => failures.push({ quota, pending }),
      onRecovered: () => recovered++,
    });

    await writer.appendStep(stepRow(1));
    sink.full = true;
    for (let step = 2; step <= 6; step++) await writer.appendStep(stepRow(step));
    expect(failures).toEqual([{ quota: true, pending: 1 }]);
    expect(writer.pendingRows).toBe(5);
    expect(writer.isFailing).toBe(true);
    expect((await store.getHistory('r')).steps.map((s) => s.globalStep)).toEqual([1]);

    sink.full = false;
    await writer.appendStep(stepRow(7));
    expect(recovered).toBe(1);
    expect(writer.pendingRows).toBe(0);
    expect((await store.getHistory('r')).steps.map((s) => s.globalStep)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await store.getRun('r'))?.globalStep).toBe(7);
    store.close();
  });

  it('serialises concurrent flushes so that rows land in arrival order', async () => {
    const store = await RunStore.open('history-writer-order');
    const writer = new HistoryWriter(store, 'r', { onWriteFailed: () => undefined });
    await Promise.all([1, 2, 3, 4].map((step) => writer.appendStep(stepRow(step))));
    expect((await store.getHistory('r')).steps.map((s) => s.globalStep)).toEqual([1, 2, 3, 4]);
    store.close();
  });
});
