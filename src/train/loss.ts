/**
 * compute_loss of ScaledYOLOv4 ([SL] utils/general.py; [SC] utils/loss.py is the same for these settings), in tf ops
 * on the active backend with gradients. Target assignment (targets.ts) runs on the CPU.
 *
 * Per level i, over its positives: box = mean(1 − CIoU) with p_xy = 2σ(t_xy) − 0.5, p_wh = (2σ(t_wh))²·anchor;
 * cls = mean BCE-with-logits against one-hot targets (only when nc > 1); and over every anchor×cell:
 * obj = mean BCE-with-logits against CIoU.detach() clamped at 0 (gr = 1) at positives and 0 elsewhere, × balance[i].
 * Then box·= hyp.box·s, obj·= hyp.obj·s (×1.4 with ≥ 4 levels), cls·= hyp.cls·(nc/80)·s with s = 3/nl, and the
 * back-propagated total is (box + obj + cls)·batch size. The logged items are the per-image (box, obj, cls).
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types';
import type { DetectionModel, ForwardMode } from '../model/types';
import type { Hyp } from './hyp';
import { ciou } from './ciou';
import { buildLevelTargets, lastWriteRows, type LevelTargets } from './targets';
import { bceWithLogits, detached, gatherRows, type BceOptions } from './tf-ops';

/** Objectness weight per level: P3 sees many small, easy negatives, P5 few. The fallback is YOLOv5's. */
export function levelBalance(nl: number): number[] {
  if (nl === 3) return [4.0, 1.0, 0.4];
  if (nl === 4) return [4.0, 1.0, 0.4, 0.1];
  if (nl === 5) return [4.0, 1.0, 0.5, 0.4, 0.1];
  return [4.0, 1.0, 0.25, 0.06, 0.02].slice(0, nl);
}

export type LossHyp = Pick<Hyp, 'box' | 'obj' | 'cls' | 'cls_pw' | 'obj_pw' | 'anchor_t' | 'fl_gamma'>;

export interface LossInput {
  /** Raw Detect outputs, each [N, na, ny, nx, nc+5]. */
  outputs: tf.Tensor5D[];
  /** Rows of 6: (imageIndex, class, cx, cy, w, h), normalised. */
  targets: Float32Array;
  numTargets: number;
  /** Anchors per level in input pixels, and the level strides (the model's). */
  anchors: readonly (readonly (readonly [number, number])[])[];
  strides: readonly number[];
  nc: number;
  hyp: LossHyp;
}

export interface LossResult {
  /** (box + obj + cls)·batch size: the scalar to differentiate. */
  total: tf.Scalar;
  /** [box, obj, cls] per image (total/bs split by term), for logging. */
  items: tf.Tensor1D;
}

/** Assigns the batch's targets to every level (CPU). */
export function buildTargets(input: Omit<LossInput, 'hyp' | 'nc'> & { anchorT: number }): LevelTargets[] {
  return input.outputs.map((output, i) => {
    const [, , ny, nx] = output.shape;
    const stride = input.strides[i];
    const anchors = input.anchors[i].map(([w, h]) => [w / stride, h / stride] as const);
    return buildLevelTargets(input.targets, input.numTargets, { ny, nx, anchors }, input.anchorT);
  });
}

interface LevelTerms {
  box: tf.Scalar;
  obj: tf.Scalar;
  cls: tf.Scalar;
}

function oneHot(cls: Int32Array, nc: number): tf.Tensor2D {
  const values = new Float32Array(cls.length * nc);
  cls.forEach((c, row) => {
    values[row * nc + c] = 1;
  });
  return tf.tensor2d(values, [cls.length, nc]);
}

function levelTerms(output: tf.Tensor5D, t: LevelTargets, nc: number, bce: { obj: BceOptions; cls: BceOptions }): LevelTerms {
  const [n, na, ny, nx, no] = output.shape;
  const cells = n * na * ny * nx;
  const flat = tf.reshape(output, [cells, no]) as tf.Tensor2D;
  const objLogits = tf.reshape(tf.slice(flat, [0, 4], [cells, 1]), [cells]);
  if (t.count === 0) {
    const obj = tf.mean(bceWithLogits(objLogits, tf.zeros([cells]), bce.obj)) as tf.Scalar;
    return { box: tf.scalar(0), obj, cls: tf.scalar(0) };
  }
  const ps = gatherRows(flat, t.flatIndex);
  const pxy = tf.sub(tf.mul(tf.sigmoid(tf.slice(ps, [0, 0], [t.count, 2])), 2), 0.5);
  const pwh = tf.mul(tf.square(tf.mul(tf.sigmoid(tf.slice(ps, [0, 2], [t.count, 2])), 2)), tf.tensor2d(t.anchorWh, [t.count, 2]));
  const iou = ciou(tf.concat([pxy, pwh], 1) as tf.Tensor2D, tf.tensor2d(t.box, [t.count, 4]));
  const box = tf.mean(tf.sub(1, iou)) as tf.Scalar;

  // Objectness target: the detached CIoU clamped at 0 at each positive cell (the last write wins), 0 elsewhere.
  const kept = lastWriteRows(t.flatIndex);
  const tobj = detached((positiveIou) => {
    const objAtKept = tf.gather(tf.relu(positiveIou), tf.tensor1d(kept.rows, 'int32'));
    return tf.scatterND(tf.tensor2d(kept.flatIndex, [kept.flatIndex.length, 1], 'int32'), objAtKept, [cells]);
  })(iou);
  const obj = tf.mean(bceWithLogits(objLogits, tobj, bce.obj)) as tf.Scalar;

  const cls =
    nc > 1
      ? (tf.mean(bceWithLogits(tf.slice(ps, [0, 5], [t.count, nc]), oneHot(t.cls, nc), bce.cls)) as tf.Scalar)
      : tf.scalar(0);
  return { box, obj, cls };
}

/** The training loss of one batch, as ScaledYOLOv4 computes it. */
export function computeLoss(input: LossInput): LossResult {
  const { outputs, nc, hyp } = input;
  const levels = buildTargets({ ...input, anchorT: hyp.anchor_t });
  return tf.tidy(() => {
    const nl = outputs.length;
    const balance = levelBalance(nl);
    const bce = {
      obj: { posWeight: hyp.obj_pw, focalGamma: hyp.fl_gamma },
      cls: { posWeight: hyp.cls_pw, focalGamma: hyp.fl_gamma },
    };
    const terms = outputs.map((output, i) => levelTerms(output, levels[i], nc, bce));
    const s = 3 / nl;
    const sum = (pick: (l: LevelTerms, i: number) => tf.Tensor) => tf.addN(terms.map(pick));
    const lbox = tf.mul(sum((l) => l.box), hyp.box * s);
    const lobj = tf.mul(sum((l, i) => tf.mul(l.obj, balance[i])), hyp.obj * s * (nl >= 4 ? 1.4 : 1));
    const lcls = tf.mul(sum((l) => l.cls), hyp.cls * (nc / 80) * s);
    const batchSize = outputs[0].shape[0];
    const items = tf.stack([lbox, lobj, lcls]) as tf.Tensor1D;
    return { total: tf.mul(tf.sum(items), batchSize) as tf.Scalar, items };
  });
}

/** One forward pass over a batch and the loss on its outputs: shared by the training step and validation. */
export function forwardWithLoss(
  model: DetectionModel,
  batch: Batch,
  hyp: LossHyp,
  mode: ForwardMode,
): { outputs: tf.Tensor5D[]; loss: LossResult } {
  const outputs = model.forward(tf.tensor4d(batch.images, batch.shape), mode);
  const loss = computeLoss({
    outputs,
    targets: batch.targets,
    numTargets: batch.numTargets,
    anchors: model.anchors,
    strides: model.strides,
    nc: model.nc,
    hyp,
  });
  return { outputs, loss };
}
