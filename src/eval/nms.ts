/**
 * ScaledYOLOv4's `non_max_suppression` (utils/general.py) with merge off: candidates need obj > confThres,
 * score = obj·cls; multi-label makes one detection per (box, class) with score > confThres; then per-class NMS
 * (suppress when IoU > iouThres with a higher-scored kept box of the same class) and at most maxDet per image.
 *
 * ScaledYOLOv4 does per-class NMS by offsetting boxes by class·4096 and calling torchvision's nms once. We walk all
 * detections once in descending score and compare only with kept boxes of the same class: the result is the same set
 * in the same order (torchvision returns kept boxes by descending score), it needs no offset, and it can stop as soon
 * as maxDet boxes are kept, so an untrained model's thousands of candidates stay cheap.
 */
import { rowIou } from './iou';
import type { CandidateRows, Detection, NmsOptions } from './types';

/** The settings test.py uses when train.py calls it: conf 0.001, IoU 0.6, 300 per image, multi-label. */
export const VAL_NMS: Omit<NmsOptions, 'nc'> = { confThres: 0.001, iouThres: 0.6, maxDet: 300, multiLabel: true };

export function nonMaxSuppression(rows: CandidateRows, opts: NmsOptions): Detection[] {
  const width = opts.nc + 5;
  const count = Math.floor(rows.length / width);
  // Candidate (row, class, score) triples. Scores are rounded to float32, as torch computes obj·cls.
  const rowOf: number[] = [];
  const clsOf: number[] = [];
  const scoreOf: number[] = [];
  for (let r = 0; r < count; r++) {
    const base = r * width;
    const obj = rows[base + 4];
    if (!(obj > opts.confThres)) continue;
    if (opts.multiLabel) {
      for (let c = 0; c < opts.nc; c++) {
        const score = Math.fround(obj * rows[base + 5 + c]);
        if (score > opts.confThres) {
          rowOf.push(r);
          clsOf.push(c);
          scoreOf.push(score);
        }
      }
    } else {
      let best = 0;
      for (let c = 1; c < opts.nc; c++) if (rows[base + 5 + c] > rows[base + 5 + best]) best = c;
      const score = Math.fround(obj * rows[base + 5 + best]);
      if (score > opts.confThres) {
        rowOf.push(r);
        clsOf.push(best);
        scoreOf.push(score);
      }
    }
  }

  // Stable descending sort, so equal scores keep row order.
  const order = Array.from(scoreOf.keys()).sort((a, b) => scoreOf[b] - scoreOf[a]);
  const keptByClass = new Map<number, number[]>(); // class → kept row offsets
  const kept: Detection[] = [];
  for (const k of order) {
    if (kept.length >= opts.maxDet) break;
    const offset = rowOf[k] * width;
    const sameClass = keptByClass.get(clsOf[k]) ?? [];
    if (sameClass.some((other) => rowIou(rows, other, offset) > opts.iouThres)) continue;
    sameClass.push(offset);
    keptByClass.set(clsOf[k], sameClass);
    kept.push({
      x1: rows[offset],
      y1: rows[offset + 1],
      x2: rows[offset + 2],
      y2: rows[offset + 3],
      score: scoreOf[k],
      cls: clsOf[k],
    });
  }
  return kept;
}
