/**
 * Marks each detection correct or not at several IoU thresholds, as ScaledYOLOv4's test.py does (not pycocotools):
 * for each ground-truth class, every prediction of that class takes its best-IoU ground truth of that class; walking
 * the predictions by descending score, a ground truth goes to the first prediction whose best IoU > thresholds[0]
 * (0.5). That prediction's row is (IoU > each threshold). The pairing is decided once, at 0.5, and reused for the
 * stricter thresholds.
 */
import { boxIou } from './iou';
import type { Detection, GtBox } from './types';

/** iouv = 0.50:0.05:0.95, the 10 thresholds of mAP@0.5:0.95. */
export const IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => Number((0.5 + 0.05 * i).toFixed(2)));

/**
 * @returns `correct`, row-major [dets.length][thresholds.length], 1 where the detection is a true positive at that
 *          threshold. Rows follow the order of `dets`.
 */
export function matchDetections(
  dets: readonly Detection[],
  gt: readonly GtBox[],
  iouThresholds: readonly number[] = IOU_THRESHOLDS,
): Uint8Array {
  const niou = iouThresholds.length;
  const correct = new Uint8Array(dets.length * niou);
  if (dets.length === 0 || gt.length === 0) return correct;

  // test.py walks NMS output, which is in descending score; sort (stably) so any input order behaves the same.
  const byScore = Array.from(dets.keys()).sort((a, b) => dets[b].score - dets[a].score);
  const gtClasses = [...new Set(gt.map((g) => g.cls))];
  for (const cls of gtClasses) {
    const targets = gt.flatMap((g, i) => (g.cls === cls ? [i] : []));
    const detected = new Set<number>();
    for (const d of byScore) {
      if (dets[d].cls !== cls) continue;
      // This prediction's best-IoU target (the first one on ties, like torch's max).
      let bestIou = -1;
      let bestTarget = -1;
      for (const t of targets) {
        const iou = boxIou(dets[d], gt[t]);
        if (iou > bestIou) {
          bestIou = iou;
          bestTarget = t;
        }
      }
      if (!(bestIou > iouThresholds[0]) || detected.has(bestTarget)) continue;
      detected.add(bestTarget);
      for (let k = 0; k < niou; k++) correct[d * niou + k] = bestIou > iouThresholds[k] ? 1 : 0;
      if (detected.size === targets.length) break;
    }
  }
  return correct;
}
