/**
 * A validation pass as train.py runs test.py: on the EMA model in eval mode, over letterboxed val batches.
 * - val losses: compute_loss on the raw outputs, the per-image (box, obj, cls) averaged over the batches;
 * - detections: decode → per-class NMS (conf 0.001, IoU 0.6, 300 per image, multi-label) → matching at IoU
 *   0.5:0.05:0.95 → ap_per_class (the yolov4-large line, with end sentinels), all from src/eval;
 * - the per-class PR curves and the confusion matrix come with the metrics.
 * Boxes are compared in letterboxed input pixels, as test.py does.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types';
import { MetricsAccumulator, VAL_NMS, decodePredictions, nonMaxSuppression, type Detection, type GtBox } from '../eval';
import type { NmsOptions, RawLevel, ValMetrics } from '../eval/types';
import type { DetectionModel } from '../model/types';
import { forwardWithLoss, type LossHyp } from './loss';

export interface ValLosses {
  box: number;
  obj: number;
  cls: number;
}

export interface ValidationResult {
  metrics: ValMetrics;
  losses: ValLosses;
  batches: number;
}

export interface ValidateOptions {
  model: DetectionModel;
  batches: AsyncIterable<Batch>;
  hyp: LossHyp;
  /** Overrides of test.py's NMS settings (VAL_NMS). */
  nms?: Partial<Omit<NmsOptions, 'nc'>>;
  /** Called with each batch and its detections per image (for --save-json and the prediction viewer). */
  onDetections?: (batch: Batch, detections: Detection[][]) => void;
}

/** The batch's ground truth per image, xyxy in batch (letterboxed) pixels. */
export function groundTruthOf(batch: Batch): GtBox[][] {
  const [n, height, width] = batch.shape;
  const perImage: GtBox[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < batch.numTargets; t++) {
    const [image, cls, cx, cy, w, h] = batch.targets.subarray(t * 6, t * 6 + 6);
    perImage[image].push({
      cls,
      x1: (cx - w / 2) * width,
      y1: (cy - h / 2) * height,
      x2: (cx + w / 2) * width,
      y2: (cy + h / 2) * height,
    });
  }
  return perImage;
}

export async function validate(opts: ValidateOptions): Promise<ValidationResult> {
  const { model, hyp } = opts;
  const nms: NmsOptions = { ...VAL_NMS, ...opts.nms, nc: model.nc };
  const accumulator = new MetricsAccumulator(model.nc);
  const lossSum = [0, 0, 0];
  let batches = 0;
  for await (const batch of opts.batches) {
    const { levels, items } = tf.tidy(() => {
      const { outputs, loss } = forwardWithLoss(model, batch, hyp, 'eval');
      return { levels: outputs, items: loss.items };
    });
    const [itemValues, ...levelValues] = await Promise.all([items.data(), ...levels.map((l) => l.data())]);
    const raw: RawLevel[] = levels.map((l, i) => ({ data: levelValues[i] as Float32Array, shape: l.shape }));
    tf.dispose([items, ...levels]);

    itemValues.forEach((v, i) => (lossSum[i] += v));
    batches++;
    const candidates = decodePredictions(raw, model.strides, model.anchors, { objThres: nms.confThres });
    const detections = candidates.map((rows) => nonMaxSuppression(rows, nms));
    const truth = groundTruthOf(batch);
    detections.forEach((dets, i) => accumulator.add(dets, truth[i]));
    opts.onDetections?.(batch, detections);
  }
  const mean = (v: number) => (batches ? v / batches : 0);
  return {
    metrics: accumulator.result(),
    losses: { box: mean(lossSum[0]), obj: mean(lossSum[1]), cls: mean(lossSum[2]) },
    batches,
  };
}
