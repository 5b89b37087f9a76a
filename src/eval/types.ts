/**
 * Plain-data types shared by the validation metrics (decode → NMS → matching → AP / confusion matrix).
 * Everything is in letterboxed input pixels unless a name says otherwise.
 */

/** One Detect level read back to the CPU: the raw logits in PyTorch's training layout `[N, 3, ny, nx, nc+5]`. */
export interface RawLevel {
  data: Float32Array;
  shape: readonly [number, number, number, number, number];
}

/**
 * Decoded candidates of one image: a flat Float32Array of rows `x1, y1, x2, y2, obj, cls_0 … cls_{nc-1}`
 * (row width nc+5). obj and cls are probabilities (after the sigmoid), not yet multiplied together.
 */
export type CandidateRows = Float32Array;

/** One detection after NMS. score = obj·cls_prob; cls is the 0-based class index. */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  cls: number;
}

/** One ground-truth box of an image, xyxy in the same pixel space as the detections. */
export interface GtBox {
  cls: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface NmsOptions {
  /** Candidates need obj > confThres, and each (box, class) pair needs obj·cls > confThres. */
  confThres: number;
  /** A box is suppressed by a higher-scored kept box of the same class when IoU > iouThres. */
  iouThres: number;
  /** At most this many detections per image. */
  maxDet: number;
  /** Every (box, class) pair above confThres becomes a detection (ScaledYOLOv4 does this when nc > 1). */
  multiLabel: boolean;
  nc: number;
}

/** One class's precision/recall curve, sampled at recall = 0, 0.01, …, 1 on the precision envelope (IoU 0.5). */
export interface PrCurve {
  cls: number;
  recall: number[];
  precision: number[];
}

export interface ClassMetrics {
  cls: number;
  /** Number of ground-truth boxes of this class. */
  targets: number;
  /** Number of detections of this class (after NMS, at conf > confThres). */
  detections: number;
  /** Precision and recall at score 0.1 (ScaledYOLOv4's pr_score), IoU 0.5. */
  precision: number;
  recall: number;
  ap50: number;
  /** Mean AP over IoU 0.5:0.05:0.95. */
  ap: number;
}

export interface ValMetrics {
  /** Means over the classes present in the ground truth. */
  precision: number;
  recall: number;
  map50: number;
  map: number;
  /** One entry per class present in the ground truth, ascending class index. */
  perClass: ClassMetrics[];
  prCurves: PrCurve[];
  /** (nc+1)×(nc+1), YOLOv5's layout: matrix[predicted][true], index nc = background. */
  confusion: number[][];
  images: number;
  targets: number;
}
