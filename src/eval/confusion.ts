/**
 * YOLOv5's confusion matrix (utils/metrics.py `ConfusionMatrix`): (nc+1)×(nc+1), matrix[predicted][true], index nc =
 * background. Detections with score > conf are paired with ground truths by IoU > iouThres, class-agnostically:
 * pairs sorted by IoU (descending), each detection keeps its best pair, then each ground truth keeps its best remaining
 * pair. A matched pair counts at [detCls][gtCls]; an unmatched ground truth at [nc][gtCls] (missed, "background FN");
 * an unmatched detection at [detCls][nc] (background FP).
 * Early YOLOv5 skipped the background-FP count when an image had no pair at all (its `if n:`), so images without any
 * ground truth added nothing; later Ultralytics fixed that, and we count those detections too.
 */
import { boxIou } from './iou';
import type { Detection, GtBox } from './types';

/** Keeps the first item for each key, in order (numpy's `unique(..., return_index=True)` on an IoU-sorted list). */
function firstPerKey<T>(items: readonly T[], key: (item: T) => number): T[] {
  const seen = new Set<number>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export class ConfusionMatrix {
  readonly matrix: number[][];

  constructor(
    readonly nc: number,
    readonly conf = 0.25,
    readonly iouThres = 0.45,
  ) {
    this.matrix = Array.from({ length: nc + 1 }, () => new Array<number>(nc + 1).fill(0));
  }

  processBatch(dets: readonly Detection[], gt: readonly GtBox[]): void {
    const confident = dets.filter((d) => d.score > this.conf);
    const pairs: { g: number; d: number; iou: number }[] = [];
    gt.forEach((g, gi) =>
      confident.forEach((d, di) => {
        const iou = boxIou(g, d);
        if (iou > this.iouThres) pairs.push({ g: gi, d: di, iou });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const matches = firstPerKey(firstPerKey(pairs, (p) => p.d), (p) => p.g);

    const detOfGt = new Map(matches.map((m) => [m.g, m.d]));
    gt.forEach((g, gi) => {
      const d = detOfGt.get(gi);
      if (d === undefined) this.matrix[this.nc][g.cls] += 1;
      else this.matrix[confident[d].cls][g.cls] += 1;
    });
    const matchedDets = new Set(matches.map((m) => m.d));
    confident.forEach((d, di) => {
      if (!matchedDets.has(di)) this.matrix[d.cls][this.nc] += 1;
    });
  }
}
