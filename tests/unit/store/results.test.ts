import { describe, expect, it } from 'vitest';
import { latestAttemptRows, resultsCsvOf } from '../../../src/store/results';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';
import type { EpochRow } from '../../../src/store/records';

function record(epoch: number, base: number): EpochRecord {
  const entries = EPOCH_TAGS.map((tag, i) => [tag, base + i / 1000] as const);
  return { epoch, ...Object.fromEntries(entries) } as EpochRecord;
}

const row = (epoch: number, attempt: number, base: number): EpochRow => ({ runId: 'r', attempt, record: record(epoch, base), time: 0 });

describe("a stored run's results.csv (the Runs tab's download)", () => {
  it("uses YOLOv5's column order", () => {
    const header = resultsCsvOf([]).split('\n')[0];
    expect(header.split(',').map((field) => field.trim())).toEqual([
      'epoch',
      'train/box_loss', 'train/obj_loss', 'train/cls_loss',
      'metrics/precision', 'metrics/recall', 'metrics/mAP_0.5', 'metrics/mAP_0.5:0.95',
      'val/box_loss', 'val/obj_loss', 'val/cls_loss',
      'x/lr0', 'x/lr1', 'x/lr2',
    ]);
  });

  it('writes one line per epoch in epoch order, each value under its own column', () => {
    const lines = resultsCsvOf([row(1, 0, 0.5), row(0, 0, 0.25)]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const header = lines[0].split(',');
    const first = lines[1].split(',').map(Number);
    expect(first[0]).toBe(0);
    expect(first[header.indexOf('train/box_loss')]).toBeCloseTo(0.25, 12);
    expect(first[header.indexOf('x/lr2')]).toBeCloseTo(0.25 + 12 / 1000, 12);
    expect(lines[2].split(',').map(Number)[header.indexOf('metrics/mAP_0.5')]).toBeCloseTo(0.5 + 5 / 1000, 12);
  });

  it('keeps the newest attempt where a resumed run logged an epoch twice', () => {
    const lines = resultsCsvOf([row(0, 0, 0.1), row(1, 0, 0.2), row(1, 1, 0.9)]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(Number(lines[2].split(',')[1])).toBeCloseTo(0.9, 12);
  });
});

describe('latest attempt rows', () => {
  it('keeps, per key, the row of the highest attempt (the later one on a tie), ordered by key', () => {
    const rows = [
      { key: 3, attempt: 0, tag: 'a' },
      { key: 1, attempt: 1, tag: 'b' },
      { key: 1, attempt: 0, tag: 'c' },
      { key: 3, attempt: 0, tag: 'd' },
    ];
    expect(latestAttemptRows(rows, (r) => r.key).map((r) => r.tag)).toEqual(['b', 'd']);
  });
});
