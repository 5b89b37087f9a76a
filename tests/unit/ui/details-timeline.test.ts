import { describe, expect, it } from 'vitest';
import type { ValidationDetails } from '../../../src/run/progress';
import type { EpochRow } from '../../../src/store';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';
import { detailsTimeline } from '../../../src/ui/predictions/details-timeline';
import { heatColor, heatmapPixels } from '../../../src/ui/predictions/heatmap';

const details = (tp: number): ValidationDetails => ({ classNames: ['car'], perClass: [], prCurves: [], confusion: [[tp, 0], [0, 0]] });

function row(epoch: number, attempt: number, withDetails?: ValidationDetails): EpochRow {
  const record = { ...Object.fromEntries(EPOCH_TAGS.map((tag) => [tag, 0])), epoch } as EpochRecord;
  return { runId: 'r', attempt, record, time: epoch, details: withDetails };
}

describe('detailsTimeline (the epoch slider of the PR curves and confusion matrix)', () => {
  it('one entry per validated epoch in epoch order, the newest attempt winning, then a Validate now result', () => {
    const rows = [row(1, 0, details(10)), row(0, 0, details(1)), row(1, 1, details(11)), row(2, 1)];
    const timeline = detailsTimeline(rows, { epoch: 2, details: details(99) });
    expect(timeline.map((e) => [e.label, e.details.confusion[0][0]])).toEqual([
      ['epoch 1', 1],
      ['epoch 2', 11],
      ['validated now, after epoch 2', 99],
    ]);
    expect(detailsTimeline([])).toEqual([]);
  });
});

describe('heatmap colours', () => {
  it('runs from dark purple (0) to yellow (255), monotonically brighter', () => {
    expect(heatColor(0)).toEqual([68, 1, 84]);
    expect(heatColor(255)).toEqual([253, 231, 37]);
    const luminance = (v: number) => {
      const [r, g, b] = heatColor(v);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let v = 0; v < 255; v += 5) expect(luminance(v + 5)).toBeGreaterThan(luminance(v));
    expect(Array.from(heatmapPixels(new Uint8Array([0, 255]), 2, 1))).toEqual([68, 1, 84, 255, 253, 231, 37, 255]);
  });
});
