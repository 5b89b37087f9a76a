import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from '../../../src/eval/confusion';
import type { Detection, GtBox } from '../../../src/eval/types';

const det = (x1: number, x2: number, score: number, cls: number, y2 = 10): Detection => ({ x1, y1: 0, x2, y2, score, cls });
const gt = (x1: number, x2: number, cls: number): GtBox => ({ x1, y1: 0, x2, y2: 10, cls });

describe('ConfusionMatrix (YOLOv5 definition, matrix[pred][true], index nc = background)', () => {
  it('counts matches, class confusions, missed targets and background false positives', () => {
    const cm = new ConfusionMatrix(2); // conf 0.25, IoU 0.45
    cm.processBatch(
      [
        det(0, 10, 0.9, 0), //       IoU 1 with g0 (class 0) → [0][0]
        det(20, 30, 0.8, 0), //      IoU 1 with g1 (class 1) → wrong class → [0][1]
        det(60, 70, 0.7, 1), //      overlaps nothing → background FP [1][2]
        det(40, 50, 0.2, 1), //      score ≤ 0.25 → ignored, so g2 is missed → [2][1]
        det(0, 10, 0.6, 0, 9), //    IoU 0.9 with g0, but g0 keeps its IoU-1 pair → background FP [0][2]
      ],
      [gt(0, 10, 0), gt(20, 30, 1), gt(40, 50, 1)],
    );
    // An image without targets: its confident detection is a background FP → [1][2].
    cm.processBatch([det(0, 10, 0.5, 1)], []);
    expect(cm.matrix).toEqual([
      [1, 1, 1],
      [0, 0, 2],
      [0, 1, 0],
    ]);
  });
});
