import { describe, expect, it } from 'vitest';
import { nonMaxSuppression, VAL_NMS } from '../../../src/eval/nms';

// nc = 2 → rows x1, y1, x2, y2, obj, cls0, cls1.
const candidates = Float32Array.from([
  ...[0, 0, 10, 10, 0.9, 0.9, 0.1], //   r0: scores c0 = 0.81, c1 = 0.09
  ...[1, 0, 11, 10, 0.8, 0.9, 0.05], //  r1: c0 = 0.72, c1 = 0.04; IoU(r0) = 90/110 = 0.818
  ...[5, 0, 15, 10, 0.7, 0.2, 0.9], //   r2: c0 = 0.14, c1 = 0.63; IoU(r0) = 50/150 = 0.333, IoU(r1) = 60/140 = 0.429
  ...[40, 40, 50, 50, 0.0005, 1, 1], // r3: obj ≤ conf 0.001 → never a candidate
]);
const summary = (dets: { x1: number; cls: number; score: number }[]) => dets.map((d) => [d.x1, d.cls, Number(d.score.toFixed(4))]);

describe('nonMaxSuppression', () => {
  it('multi-label, per-class: suppresses same-class overlaps, keeps other classes, sorted by score', () => {
    // Walk by score: r0c0 0.81 keep; r1c0 0.72 IoU 0.818 > 0.6 with r0c0 → drop; r2c1 0.63 keep;
    // r2c0 0.14 IoU 0.333 with r0c0 → keep; r0c1 0.09 IoU 0.333 with r2c1 → keep;
    // r1c1 0.04 IoU 0.818 with r0c1 → drop. r3 fails obj > 0.001.
    const dets = nonMaxSuppression(candidates, { ...VAL_NMS, nc: 2 });
    expect(summary(dets)).toEqual([
      [0, 0, 0.81],
      [5, 1, 0.63],
      [5, 0, 0.14],
      [0, 1, 0.09],
    ]);
    expect(dets[0]).toMatchObject({ x1: 0, y1: 0, x2: 10, y2: 10 });
  });

  it('caps at maxDet, keeping the highest scores', () => {
    expect(summary(nonMaxSuppression(candidates, { ...VAL_NMS, nc: 2, maxDet: 2 }))).toEqual([
      [0, 0, 0.81],
      [5, 1, 0.63],
    ]);
  });

  it('single-label keeps only each box’s best class', () => {
    // r0 → c0 0.81; r1 → c0 0.72, suppressed by r0; r2 → c1 0.63.
    expect(summary(nonMaxSuppression(candidates, { ...VAL_NMS, nc: 2, multiLabel: false }))).toEqual([
      [0, 0, 0.81],
      [5, 1, 0.63],
    ]);
  });

  it('keeps an overlap at IoU ≤ iouThres and drops pairs at score ≤ confThres', () => {
    // IoU(r0, r1) = 0.818: with iouThres 0.9 r1c0 survives. confThres 0.1 drops r0c1 0.09 and r1c1 0.04 pairs.
    expect(summary(nonMaxSuppression(candidates, { ...VAL_NMS, nc: 2, iouThres: 0.9, confThres: 0.1 }))).toEqual([
      [0, 0, 0.81],
      [1, 0, 0.72],
      [5, 1, 0.63],
      [5, 0, 0.14],
    ]);
  });
});
