import { describe, expect, it } from 'vitest';
import { fitness, MetricsAccumulator, metricsToTags } from '../../../src/eval/accumulator';
import type { Detection, GtBox } from '../../../src/eval/types';

const det = (x1: number, x2: number, y2: number, score: number, cls: number): Detection => ({ x1, y1: 0, x2, y2, score, cls });
const gt = (x1: number, x2: number, cls: number): GtBox => ({ x1, y1: 0, x2, y2: 10, cls });

describe('MetricsAccumulator', () => {
  it('combines matching and AP over images; means over ground-truth classes only', () => {
    const acc = new MetricsAccumulator(3);
    // Image 1: class 0 target found exactly (IoU 1 → correct at all 10 thresholds).
    //          class 1 target, never detected.
    acc.add([det(0, 10, 10, 0.9, 0)], [gt(0, 10, 0), gt(20, 30, 1)]);
    // Image 2: class 0 target found at IoU 0.8 (y2 = 8: 80/100) → correct at 0.50 … 0.75 (6 of 10);
    //          a class-2 detection with no class-2 target anywhere → ignored by the means.
    acc.add([det(0, 10, 8, 0.8, 0), det(40, 50, 10, 0.7, 2)], [gt(0, 10, 0)]);
    const m = acc.result();

    // Class 0 at IoU 0.5..0.75: TP, TP with 2 targets → recall [0.5, 1], precision [1, 1] → envelope 1 up to
    // recall 1 → AP 0.995 (as a perfect detector).
    // At 0.8..0.95: TP, FP → recall [0.5, 0.5], precision [1, 0.5] → mrec [0, .5, .5, .501], envelope [1, 1, .5, 0]:
    // samples 1 for x < 0.5, at x = 0.5 the last tie → 0.5, then 0 → trapz = 0.49 + 0.01·(1 + 0.5)/2 + 0.01·(0.5 + 0)/2
    //   = 0.49 + 0.0075 + 0.0025 = 0.5.
    // Class 0: AP50 = 0.995, AP = (6·0.995 + 4·0.5)/10 = 0.797. Class 1: 0.
    const [c0, c1] = m.perClass;
    expect(m.perClass.map((c) => c.cls)).toEqual([0, 1]);
    expect(c0.ap50).toBeCloseTo(0.995, 10);
    expect(c0.ap).toBeCloseTo(0.797, 10);
    expect(c1).toMatchObject({ ap50: 0, ap: 0, precision: 0, recall: 0, targets: 1, detections: 0 });
    expect(m.map50).toBeCloseTo(0.4975, 10); // (0.995 + 0) / 2
    expect(m.map).toBeCloseTo(0.3985, 10); //   (0.797 + 0) / 2
    // P, R (scores > 0.1, IoU 0.5): class 0 P = 1, R = 1; class 1 P = R = 0 → means 0.5.
    expect(m.precision).toBeCloseTo(0.5, 10);
    expect(m.recall).toBeCloseTo(0.5, 10);
    expect(m.images).toBe(2);
    expect(m.targets).toBe(3);
    // Confusion (conf 0.25, IoU 0.45): two class-0 hits, one missed class-1 target, one background class-2 FP.
    expect(m.confusion).toEqual([
      [2, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 1, 0, 0],
    ]);
    expect(metricsToTags(m)).toEqual({
      'metrics/precision': m.precision,
      'metrics/recall': m.recall,
      'metrics/mAP_0.5': m.map50,
      'metrics/mAP_0.5:0.95': m.map,
    });
    expect(fitness(m)).toBeCloseTo(0.1 * 0.4975 + 0.9 * 0.3985, 10);
  });

  it('reports zeros when nothing was seen', () => {
    const m = new MetricsAccumulator(4).result();
    expect([m.precision, m.recall, m.map50, m.map, m.perClass.length]).toEqual([0, 0, 0, 0, 0]);
  });
});
