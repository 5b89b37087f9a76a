/**
 * Average precision per class, following ScaledYOLOv4's yolov4-large line (`ap_per_class` / `compute_ap` in
 * utils/general.py), which — unlike the yolov4-csp/master line — adds end sentinels to the PR curve:
 *   recall    = [0, r_1 … r_n, min(r_n + 0.001, 1)]
 *   precision = [0, p_1 … p_n, 0]
 * then the precision envelope (running max from the right), sampled at recall = linspace(0, 1, 101) with numpy's
 * interp, integrated with the trapezoid rule. The closing 0 makes precision drop to 0 just past the last recall
 * reached, instead of being held flat there.
 * P and R are reported at score 0.1 (pr_score), at the first IoU threshold (0.5).
 */
import { interp, trapz, unitLinspace } from './interp';
import { IOU_THRESHOLDS } from './match';
import type { PrCurve } from './types';

/** Score at which P and R are read off the curves (ScaledYOLOv4's pr_score). */
export const PR_SCORE = 0.1;
const RECALL_SAMPLES = unitLinspace(101);

export interface ApPerClassResult {
  /** The classes present in the targets, ascending; every other array is indexed like this one. */
  classes: number[];
  /** Precision and recall at score 0.1, IoU 0.5. */
  p: number[];
  r: number[];
  /** ap[i][k]: AP of classes[i] at IoU threshold k. */
  ap: number[][];
  ap50: number[];
  /** Number of targets and of detections per class. */
  targets: number[];
  detections: number[];
  /** The envelope sampled at the 101 recall points, IoU 0.5 (all zeros for a class with no detections). */
  prCurves: PrCurve[];
}

interface ApCurve {
  ap: number;
  /** Envelope precision at each of RECALL_SAMPLES. */
  samples: number[];
}

/** `compute_ap` of the yolov4-large line: sentinels, envelope, 101-point interp, trapezoid rule. */
export function computeAp(recall: readonly number[], precision: readonly number[]): ApCurve {
  const mrec = [0, ...recall, Math.min((recall.length ? recall[recall.length - 1] : 0) + 1e-3, 1)];
  const mpre = [0, ...precision, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  const samples = RECALL_SAMPLES.map((x) => interp(x, mrec, mpre));
  return { ap: trapz(samples, RECALL_SAMPLES), samples };
}

/**
 * @param correct   row-major [numDet][niou] true-positive flags (from matchDetections, all images concatenated)
 * @param scores    per detection score (obj·cls)
 * @param predCls   per detection class
 * @param targetCls per ground-truth box class (all images)
 * @param niou      number of IoU thresholds per row of `correct`
 */
export function apPerClass(
  correct: Uint8Array,
  scores: ArrayLike<number>,
  predCls: ArrayLike<number>,
  targetCls: ArrayLike<number>,
  niou: number = IOU_THRESHOLDS.length,
): ApPerClassResult {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const classes = [...new Set(Array.from(targetCls))].sort((a, b) => a - b);
  const result: ApPerClassResult = { classes, p: [], r: [], ap: [], ap50: [], targets: [], detections: [], prCurves: [] };

  for (const c of classes) {
    const nGt = Array.from(targetCls).filter((t) => t === c).length;
    const mine = order.filter((i) => predCls[i] === c);
    result.targets.push(nGt);
    result.detections.push(mine.length);
    if (mine.length === 0) {
      // A class with targets but no detections: AP 0, P 0, R 0.
      result.p.push(0);
      result.r.push(0);
      result.ap.push(new Array<number>(niou).fill(0));
      result.ap50.push(0);
      result.prCurves.push({ cls: c, recall: [...RECALL_SAMPLES], precision: RECALL_SAMPLES.map(() => 0) });
      continue;
    }
    const negConf = mine.map((i) => -scores[i]); // increasing, as np.interp needs
    const apRow: number[] = [];
    for (let k = 0; k < niou; k++) {
      const recall: number[] = [];
      const precision: number[] = [];
      let tp = 0;
      mine.forEach((i, n) => {
        tp += correct[i * niou + k];
        recall.push(tp / (nGt + 1e-16));
        precision.push(tp / (n + 1));
      });
      const curve = computeAp(recall, precision);
      apRow.push(curve.ap);
      if (k === 0) {
        result.p.push(interp(-PR_SCORE, negConf, precision));
        result.r.push(interp(-PR_SCORE, negConf, recall));
        result.prCurves.push({ cls: c, recall: [...RECALL_SAMPLES], precision: curve.samples });
      }
    }
    result.ap.push(apRow);
    result.ap50.push(apRow[0]);
  }
  return result;
}
