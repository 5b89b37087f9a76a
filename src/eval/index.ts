/**
 * Validation metrics, as ScaledYOLOv4's test.py computes them: decode → per-class NMS → matching at IoU 0.5:0.05:0.95
 * → ap_per_class (the yolov4-large line, with end sentinels). Plain TypeScript on typed arrays: no tfjs, no DOM, no node:.
 */
export type { RawLevel, CandidateRows, Detection, GtBox, NmsOptions, PrCurve, ClassMetrics, ValMetrics } from './types';
export { decodePredictions, type DecodeOptions } from './decode';
export { boxIou } from './iou';
export { nonMaxSuppression, VAL_NMS } from './nms';
export { IOU_THRESHOLDS, matchDetections } from './match';
export { apPerClass, computeAp, PR_SCORE, type ApPerClassResult } from './ap';
export { ConfusionMatrix } from './confusion';
export { MetricsAccumulator, metricsToTags, zeroMetricTags, fitness, type AccumulatorOptions } from './accumulator';
export { cocoDetections, cocoImageId, type CocoDetection, type LetterboxInfo } from './coco-json';
