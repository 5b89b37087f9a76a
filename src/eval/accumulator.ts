/**
 * The one-stop for a validation pass: feed each image's detections (after NMS) and ground truths, then read P, R,
 * mAP@0.5, mAP@0.5:0.95 (means over the classes present in the ground truth, as test.py), per-class numbers, the PR
 * curves and the confusion matrix.
 */
import type { EpochRecord } from '../train/tags';
import { apPerClass } from './ap';
import { ConfusionMatrix } from './confusion';
import { IOU_THRESHOLDS, matchDetections } from './match';
import type { Detection, GtBox, ValMetrics } from './types';

export interface AccumulatorOptions {
  iouThresholds?: readonly number[];
  /** Confusion matrix thresholds (YOLOv5: score > 0.25, IoU > 0.45). */
  confusionConf?: number;
  confusionIou?: number;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

export class MetricsAccumulator {
  private readonly iouThresholds: readonly number[];
  private readonly confusion: ConfusionMatrix;
  private readonly correct: Uint8Array[] = [];
  private readonly scores: number[] = [];
  private readonly predCls: number[] = [];
  private readonly targetCls: number[] = [];
  private images = 0;

  constructor(
    readonly nc: number,
    options: AccumulatorOptions = {},
  ) {
    this.iouThresholds = options.iouThresholds ?? IOU_THRESHOLDS;
    this.confusion = new ConfusionMatrix(nc, options.confusionConf ?? 0.25, options.confusionIou ?? 0.45);
  }

  /** One image: its detections (letterboxed input pixels) and ground truths in the same pixel space. */
  add(dets: readonly Detection[], gt: readonly GtBox[]): void {
    this.images++;
    this.correct.push(matchDetections(dets, gt, this.iouThresholds));
    for (const d of dets) {
      this.scores.push(d.score);
      this.predCls.push(d.cls);
    }
    for (const g of gt) this.targetCls.push(g.cls);
    this.confusion.processBatch(dets, gt);
  }

  result(): ValMetrics {
    const niou = this.iouThresholds.length;
    const correct = new Uint8Array(this.scores.length * niou);
    let offset = 0;
    for (const c of this.correct) {
      correct.set(c, offset);
      offset += c.length;
    }
    const s = apPerClass(correct, this.scores, this.predCls, this.targetCls, niou);
    const apMean = s.ap.map(mean); // AP@0.5:0.95 per class
    return {
      precision: mean(s.p),
      recall: mean(s.r),
      map50: mean(s.ap50),
      map: mean(apMean),
      perClass: s.classes.map((cls, i) => ({
        cls,
        targets: s.targets[i],
        detections: s.detections[i],
        precision: s.p[i],
        recall: s.r[i],
        ap50: s.ap50[i],
        ap: apMean[i],
      })),
      prCurves: s.prCurves,
      confusion: this.confusion.matrix.map((row) => [...row]),
      images: this.images,
      targets: this.targetCls.length,
    };
  }
}

type MetricTag = 'metrics/precision' | 'metrics/recall' | 'metrics/mAP_0.5' | 'metrics/mAP_0.5:0.95';

/** The four metric tags of an epoch record. */
export function metricsToTags(m: ValMetrics): Pick<EpochRecord, MetricTag> {
  return {
    'metrics/precision': m.precision,
    'metrics/recall': m.recall,
    'metrics/mAP_0.5': m.map50,
    'metrics/mAP_0.5:0.95': m.map,
  };
}

/** The four metric tags at 0: what an epoch logs when there is nothing to validate on. */
export function zeroMetricTags(): Pick<EpochRecord, MetricTag> {
  return { 'metrics/precision': 0, 'metrics/recall': 0, 'metrics/mAP_0.5': 0, 'metrics/mAP_0.5:0.95': 0 };
}

/** ScaledYOLOv4's best-checkpoint fitness: 0.1·mAP@0.5 + 0.9·mAP@0.5:0.95 (P and R weigh 0). */
export function fitness(m: Pick<ValMetrics, 'map50' | 'map'>): number {
  return 0.1 * m.map50 + 0.9 * m.map;
}
