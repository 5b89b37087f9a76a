import { describe, expect, it } from 'vitest';
import { apPerClass, computeAp } from '../../../src/eval/ap';

// Single IoU column (niou = 1) so each case is one PR curve worked out by hand.
const flags = (...xs: number[]) => Uint8Array.from(xs);

describe('computeAp (yolov4-large line: sentinels, envelope, 101-point interp, trapezoid)', () => {
  it('a perfect detector scores 0.995, not 1', () => {
    // recall [1], precision [1] → mrec [0, 1, min(1.001, 1) = 1], mpre [0, 1, 0] → envelope [1, 1, 0].
    // Samples at x = 0 … 0.99 are 1; at x = 1 numpy interp takes the LAST tied point → 0.
    // trapz: 99 intervals × 0.01 × 1 + 0.01 × (1 + 0)/2 = 0.99 + 0.005 = 0.995.
    expect(computeAp([1], [1]).ap).toBeCloseTo(0.995, 10);
  });

  it('drops to 0 just past the last recall (the end sentinel)', () => {
    // 2 targets, 1 true positive: recall [0.5], precision [1].
    // mrec [0, 0.5, 0.501], mpre [0, 1, 0] → envelope [1, 1, 0].
    // Samples x = 0 … 0.50 → 1 (51 points), x = 0.51 … 1 → 0 (past 0.501, held at the sentinel's 0).
    // trapz: 50 × 0.01 × 1 + 0.01 × (1 + 0)/2 = 0.5 + 0.005 = 0.505.
    // Without sentinels ([PM] line) np.interp would hold precision 1 to recall 1 and give AP 1.
    const { ap, samples } = computeAp([0.5], [1]);
    expect(ap).toBeCloseTo(0.505, 10);
    expect(samples[50]).toBeCloseTo(1, 10);
    expect(samples[51]).toBe(0);
  });
});

describe('apPerClass', () => {
  it('AP of a simple ranking TP, FP, TP with 2 targets', () => {
    // Sorted by score: 0.9 TP, 0.8 FP, 0.7 TP.  tpc [1,1,2], fpc [0,1,1].
    // recall [0.5, 0.5, 1], precision [1, 0.5, 2/3].
    // mrec [0, 0.5, 0.5, 1, 1], mpre [0, 1, 0.5, 2/3, 0] → envelope [1, 1, 2/3, 2/3, 0].
    // Samples: x < 0.5 → 1 (i = 0..49); x = 0.5 → last tied point → 2/3; 0.5 < x < 1 → 2/3; x = 1 → 0.
    // trapz: 49 × 0.01 × 1            = 0.49
    //        0.01 × (1 + 2/3)/2        = 1/120
    //        49 × 0.01 × 2/3           = 49/150
    //        0.01 × (2/3 + 0)/2        = 1/300
    //        total = 0.49 + 1/120 + 49/150 + 1/300 = 0.828333…
    // Given out of order, to show apPerClass sorts by score.
    const res = apPerClass(flags(0, 1, 1), [0.8, 0.7, 0.9], [0, 0, 0], [0, 0], 1);
    expect(res.classes).toEqual([0]);
    expect(res.ap[0][0]).toBeCloseTo(0.49 + 1 / 120 + 49 / 150 + 1 / 300, 10);
    expect(res.ap50[0]).toBeCloseTo(0.8283333333, 8);
    // All scores > 0.1: P and R are the curve's last values, 2/3 and 1.
    expect(res.p[0]).toBeCloseTo(2 / 3, 10);
    expect(res.r[0]).toBeCloseTo(1, 10);
  });

  it('reads P and R at score 0.1 by linear interpolation in score', () => {
    // Sorted: 0.9 TP, 0.2 FP, 0.05 TP, 2 targets. recall [0.5, 0.5, 1], precision [1, 0.5, 2/3].
    // x = −0.1 on xp = [−0.9, −0.2, −0.05]: between −0.2 and −0.05 at t = 0.1/0.15 = 2/3.
    // R = 0.5 + 2/3·(1 − 0.5) = 5/6;  P = 0.5 + 2/3·(2/3 − 0.5) = 0.5 + 1/9 = 11/18.
    const res = apPerClass(flags(1, 0, 1), [0.9, 0.2, 0.05], [0, 0, 0], [0, 0], 1);
    expect(res.r[0]).toBeCloseTo(5 / 6, 10);
    expect(res.p[0]).toBeCloseTo(11 / 18, 10);
  });

  it('a class with targets but no detections gets AP 0; detections without targets are ignored', () => {
    // Class 0: 1 target, 1 TP → 0.995. Class 1: 1 target, no detection → 0.
    // Class 2: only false positives, no target → not in `classes` at all.
    const res = apPerClass(flags(1, 0, 0), [0.9, 0.8, 0.7], [0, 2, 2], [0, 1], 1);
    expect(res.classes).toEqual([0, 1]);
    expect(res.ap50[0]).toBeCloseTo(0.995, 10);
    expect(res.ap50[1]).toBe(0);
    expect(res.p[1]).toBe(0);
    expect(res.r[1]).toBe(0);
    expect(res.detections).toEqual([1, 0]);
    expect(res.targets).toEqual([1, 1]);
    expect(res.prCurves[1].precision.every((p) => p === 0)).toBe(true);
  });

  it('keeps one AP per IoU threshold column', () => {
    // One detection, one target, correct at the first 6 of 10 thresholds:
    // AP = 0.995 for columns 0..5 and 0 for 6..9.
    const res = apPerClass(flags(1, 1, 1, 1, 1, 1, 0, 0, 0, 0), [0.9], [0], [0], 10);
    expect(res.ap[0].slice(0, 6).every((a) => Math.abs(a - 0.995) < 1e-12)).toBe(true);
    expect(res.ap[0].slice(6)).toEqual([0, 0, 0, 0]);
  });

  it('samples the PR envelope at 101 recall points for the UI', () => {
    // The TP, FP, TP case: precision 1 up to recall 0.49, 2/3 from 0.5 to 0.99, 0 at 1.
    const curve = apPerClass(flags(1, 0, 1), [0.9, 0.8, 0.7], [0, 0, 0], [0, 0], 1).prCurves[0];
    expect(curve.recall).toHaveLength(101);
    expect(curve.recall[37]).toBeCloseTo(0.37, 12);
    expect(curve.precision[49]).toBeCloseTo(1, 12);
    expect(curve.precision[50]).toBeCloseTo(2 / 3, 12);
    expect(curve.precision[99]).toBeCloseTo(2 / 3, 12);
    expect(curve.precision[100]).toBe(0);
  });
});
