import { describe, expect, it } from 'vitest';
import { IOU_THRESHOLDS, matchDetections } from '../../../src/eval/match';
import type { Detection, GtBox } from '../../../src/eval/types';

const det = (x1: number, y1: number, x2: number, y2: number, score: number, cls = 0): Detection => ({ x1, y1, x2, y2, score, cls });
const gt = (x1: number, y1: number, x2: number, y2: number, cls = 0): GtBox => ({ x1, y1, x2, y2, cls });
const rows = (correct: Uint8Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(correct.slice(i * 10, i * 10 + 10)));

describe('matchDetections (test.py matching)', () => {
  it('uses the 10 thresholds 0.50:0.05:0.95', () => {
    expect(IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
  });

  it('marks correct at each threshold, first by score wins, strict > 0.5, classes kept apart', () => {
    const targets = [gt(0, 0, 10, 10), gt(20, 0, 30, 10)];
    const dets = [
      det(0, 0, 10, 8, 0.9), //   IoU with T0 = 80/100 = 0.8: > 0.50 … 0.75, not > 0.80
      det(0, 0, 10, 9, 0.8), //   IoU 0.9 with T0, but T0 already went to the 0.9-score box → all 0
      det(0, 0, 10, 10, 0.85, 1), // class 1 has no target here → all 0
      det(20, 0, 30, 5, 0.7), //  IoU with T1 = 50/100 = 0.5, not > 0.5 → all 0
      det(20, 0, 30, 6, 0.6), //  IoU with T1 = 0.6: > 0.50, 0.55; not > 0.60 → gets T1
    ];
    expect(rows(matchDetections(dets, targets), 5)).toEqual([
      [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('pairs once with each prediction’s best-IoU target, with no fallback to a second-best target', () => {
    // T0 = [0,0,10,10], T1 = [0,0,10,6].
    // A (0.9) = [0,0,10,10]: IoU T0 = 1, T1 = 0.6 → best T0 → correct at all 10 (1 > 0.95).
    // B (0.8) = [0,0,10,9]: IoU T0 = 90/100 = 0.9, T1 = 60/90 = 0.667 → best is T0, already taken → unmatched,
    // although T1 is free (pycocotools would give T1 to B).
    const correct = matchDetections([det(0, 0, 10, 10, 0.9), det(0, 0, 10, 9, 0.8)], [gt(0, 0, 10, 10), gt(0, 0, 10, 6)]);
    expect(rows(correct, 2)).toEqual([
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('gives all-zero rows when there is no ground truth', () => {
    expect(Array.from(matchDetections([det(0, 0, 1, 1, 0.5)], []))).toEqual(new Array(10).fill(0));
  });
});
