import { describe, expect, it } from 'vitest';
import { buildChartData, nearestPoint, rawKey, smoothKey } from '../../../src/ui/charts/chart-data';
import { buildRunSeries, RunSeriesCache } from '../../../src/ui/charts/series';
import type { StepRow, EpochRow } from '../../../src/store/records';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';

function stepRow(globalStep: number, attempt: number, box: number): StepRow {
  const itersPerEpoch = 4;
  return {
    runId: 'a', attempt, globalStep, itersPerEpoch,
    epoch: Math.floor((globalStep - 1) / itersPerEpoch), iteration: (globalStep - 1) % itersPerEpoch,
    values: { 'train/box_loss': box, 'train/obj_loss': 1, 'train/cls_loss': 1, 'x/lr0': 0.01, 'x/lr1': 0.01, 'x/lr2': 0.01 },
    imagesPerSec: 1, memoryBytes: 0, numTensors: 0, time: 1_000 + globalStep * 500,
  };
}

function epochRow(epoch: number, map: number): EpochRow {
  const record = { epoch, ...Object.fromEntries(EPOCH_TAGS.map((tag) => [tag, map])) } as EpochRecord;
  return { runId: 'a', attempt: 0, record, time: 1_000 + (epoch + 1) * 2_000 };
}

describe('chart series and data', () => {
  it('takes step tags from step rows and the others from epoch rows, newest attempt winning', () => {
    const steps = [1, 2, 3, 4, 5, 6].map((s) => stepRow(s, 0, s));
    steps.push(stepRow(5, 1, 50)); // a resumed attempt re-logged step 5
    const series = buildRunSeries({ steps, epochs: [epochRow(0, 0.1), epochRow(1, 0.3)] }, ['train/box_loss', 'metrics/mAP_0.5'], 0);
    const box = series.byTag.get('train/box_loss')!;
    expect(box.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(box[4].value).toBe(50);
    expect(box[3].epoch).toBe(1); // end of epoch 0 = 1 epoch done
    const map = series.byTag.get('metrics/mAP_0.5')!;
    // An epoch record sits at the last step logged in its epoch (epoch 1 has only steps 5 and 6 here).
    expect(map.map((p) => [p.step, p.epoch, p.value])).toEqual([[4, 0, 0.1], [6, 1, 0.3]]);
  });

  it('merges runs into rows by x with raw and smoothed columns, and finds the nearest point', () => {
    const a = [1, 2, 3].map((step) => ({ step, epoch: step, time: step * 1000, value: step }));
    const b = [2, 4].map((step) => ({ step, epoch: step, time: step * 1000, value: 10 * step }));
    const data = buildChartData(
      [{ runId: 'a', points: a, startTime: 0 }, { runId: 'b', points: b, startTime: 0 }],
      { mode: 'step', smoothing: 0.5, logY: false, buckets: 10 },
    );
    expect(data.rows.map((row) => row.x)).toEqual([1, 2, 3, 4]);
    expect(data.rows[1][rawKey('a')]).toBe(2);
    expect(data.rows[1][rawKey('b')]).toBe(20);
    expect(data.rows[1][smoothKey('a')]).toBeCloseTo(5 / 3, 12);
    expect(data.rows[3][rawKey('a')]).toBeUndefined();
    expect(nearestPoint(data.byRun.get('b')!, 2.9)?.y).toBe(20);
    expect(nearestPoint(data.byRun.get('b')!, 3.1)?.y).toBe(40);
  });

  it('uses seconds since the run start on the relative-time axis and drops non-positive values on a log axis', () => {
    const points = [0, 1, 2].map((i) => ({ step: i + 1, epoch: i, time: 5_000 + i * 1_500, value: i }));
    const data = buildChartData([{ runId: 'a', points, startTime: 5_000 }], { mode: 'relative', smoothing: 0, logY: true, buckets: 10 });
    expect(data.byRun.get('a')!.map((p) => [p.x, p.y])).toEqual([[1.5, 1], [3, 2]]);
  });
});

describe('RunSeriesCache (a live run)', () => {
  // The same row objects across calls, as the page's live history keeps them; 4 steps per epoch.
  const rows = [1, 2, 3, 4, 5, 6].map((s) => stepRow(s, 0, s));
  const upTo = (n: number) => rows.slice(0, n);
  const tags = ['train/box_loss', 'metrics/mAP_0.5'] as const;

  it('extends the step series as steps are appended, keeps the epoch series until an epoch arrives, and equals a rebuild', () => {
    const cache = new RunSeriesCache(tags, 0);
    const epochs = [epochRow(0, 0.1)];
    const first = cache.get({ steps: upTo(5), epochs });
    const second = cache.get({ steps: upTo(6), epochs });
    expect(second.byTag.get('metrics/mAP_0.5')).toBe(first.byTag.get('metrics/mAP_0.5'));
    expect(second.byTag.get('train/box_loss')).not.toBe(first.byTag.get('train/box_loss'));
    expect(second).toEqual(buildRunSeries({ steps: upTo(6), epochs }, tags, 0));
    const third = cache.get({ steps: upTo(6), epochs: [...epochs, epochRow(1, 0.3)] });
    expect(third.byTag.get('metrics/mAP_0.5')).toHaveLength(2);
  });

  it('rebuilds when a step lands in a logged epoch or a resumed attempt logs a step again', () => {
    const early = new RunSeriesCache(tags, 0);
    const epochs = [epochRow(0, 0.1)];
    early.get({ steps: upTo(2), epochs });
    expect(early.get({ steps: upTo(3), epochs })).toEqual(buildRunSeries({ steps: upTo(3), epochs }, tags, 0));

    const resumed = new RunSeriesCache(tags, 0);
    resumed.get({ steps: upTo(6), epochs });
    const history = { steps: [...upTo(6), stepRow(6, 1, 60)], epochs };
    expect(resumed.get(history)).toEqual(buildRunSeries(history, tags, 0));
    expect(resumed.get(history).byTag.get('train/box_loss')?.at(-1)?.value).toBe(60);
  });
});
