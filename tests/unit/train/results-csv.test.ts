import { describe, expect, it } from 'vitest';
import { parseResultsCsv, resultsCsv, RESULTS_COLUMNS } from '../../../src/train/results-csv';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';

describe('results.csv', () => {
  it("has YOLOv5's columns (epoch, then the 13 tags in order) and round-trips", () => {
    expect(RESULTS_COLUMNS).toEqual(['epoch', ...EPOCH_TAGS]);
    const record = Object.fromEntries(RESULTS_COLUMNS.map((c, i) => [c, c === 'epoch' ? 3 : i / 7])) as EpochRecord;
    const text = resultsCsv([record, { ...record, epoch: 4 }]);
    expect(text.split('\n')[0]).toBe(RESULTS_COLUMNS.join(','));
    expect(parseResultsCsv(text)).toEqual([record, { ...record, epoch: 4 }]);
  });
});
