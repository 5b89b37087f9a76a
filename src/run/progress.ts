/**
 * What a run reports while it trains: each step's losses, lrs and speed, each validation's per-class details, and
 * why a checkpoint was taken. Plain structured-clone data, stored with the run and shown by the page.
 */
import type { ClassMetrics, PrCurve } from '../eval/types';
import type { EpochRecord, StepTag } from '../train/tags';

/** Step losses and lrs: the running means over the epoch so far, and the current lr of each optimizer group. */
export type StepValues = Record<StepTag, number>;

export interface StepInfo {
  epoch: number;
  /** Iteration within the epoch, 0-based. */
  iteration: number;
  itersPerEpoch: number;
  /** Batches trained since the start of the run, 1-based (the optimizer steps every `accumulate` batches). */
  globalStep: number;
  values: StepValues;
  imagesPerSec: number;
  /** Bytes held by the backend (tf.memory().numBytes; GPU memory on webgpu). */
  memoryBytes: number;
  numTensors: number;
  /** Wall-clock time (ms since 1970) when the step finished. */
  time: number;
}

/**
 * What the viewer draws beside the epoch's numbers, as the eval core computes it: per-class P/R/AP, the PR curve of
 * each class at IoU 0.5, and YOLOv5's confusion matrix (matrix[predicted][true], index nc = background).
 */
export interface ValidationDetails {
  classNames: string[];
  perClass: ClassMetrics[];
  prCurves: PrCurve[];
  confusion: number[][];
}

export type CheckpointReason = 'epoch' | 'pause' | 'stop' | 'done';

/** The tags a validation pass yields (metrics and val losses). */
export type ValidationValues = Pick<
  EpochRecord,
  | 'metrics/precision'
  | 'metrics/recall'
  | 'metrics/mAP_0.5'
  | 'metrics/mAP_0.5:0.95'
  | 'val/box_loss'
  | 'val/obj_loss'
  | 'val/cls_loss'
>;

export interface BoxInfo {
  /** Corners in the image's own pixels. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  cls: number;
  /** Absent for ground truth. */
  score?: number;
}

export interface PredictionImage {
  name: string;
  width: number;
  height: number;
  /** `rgba8`: width*height*4 bytes; otherwise the encoded file (png/jpeg) as read from the dataset. Transferred. */
  encoding: 'rgba8' | 'image/png' | 'image/jpeg';
  bytes: ArrayBuffer;
  predictions: BoxInfo[];
  truth: BoxInfo[];
}

/** Below this score a predicted box is low-confidence: sent only among an image's top 10, so a young model shows some. */
export const MIN_SENT_SCORE = 0.05;
