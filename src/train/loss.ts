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

/**
 * Every level's cells and positives as one set of rows, so that the loss runs each op once for all levels (three
 * times fewer kernels and GPU dispatches, forward and backward): per-level means become weighted sums.
 */
interface Pooled {
  /** Rows: each level's [N·na·ny·nx] cells, level after level. */
  cells: number;
  /** Per cell: balance[level] / cells of its level (the objectness mean, weighted). */
  objWeight: Float32Array;
  /** Positives of all levels, level after level; `flatIndex` into the pooled cells. */
  count: number;
  flatIndex: Int32Array;
  cls: Int32Array;
  box: Float32Array;
  anchorWh: Float32Array;
  /** Per positive: 1 / the positives of its level (the box and class means). */
  rowWeight: Float32Array;
}

function pool(outputs: tf.Tensor5D[], levels: LevelTargets[], balance: number[]): Pooled {
  const sizes = outputs.map((o) => o.shape[0] * o.shape[1] * o.shape[2] * o.shape[3]);
  const cells = sizes.reduce((a, b) => a + b, 0);
  const count = levels.reduce((sum, t) => sum + t.count, 0);
  const pooled: Pooled = {
    cells,
    objWeight: new Float32Array(cells),
    count,
    flatIndex: new Int32Array(count),
    cls: new Int32Array(count),
    box: new Float32Array(count * 4),
    anchorWh: new Float32Array(count * 2),
    rowWeight: new Float32Array(count),
  };
  let cellOffset = 0;
  let row = 0;
  levels.forEach((t, i) => {
    pooled.objWeight.fill(balance[i] / sizes[i], cellOffset, cellOffset + sizes[i]);
    for (let r = 0; r < t.count; r++) pooled.flatIndex[row + r] = cellOffset + t.flatIndex[r];
    pooled.cls.set(t.cls, row);
    pooled.box.set(t.box, row * 4);
    pooled.anchorWh.set(t.anchorWh, row * 2);
    pooled.rowWeight.fill(1 / t.count, row, row + t.count);
    cellOffset += sizes[i];
    row += t.count;
  });
  return pooled;
}

/** The three raw terms over all levels: Σ_level mean(1 − CIoU), Σ_level balance·mean(obj BCE), Σ_level mean(cls BCE). */
function pooledTerms(outputs: tf.Tensor5D[], p: Pooled, nc: number, bce: { obj: BceOptions; cls: BceOptions }): LevelTerms {
  const no = outputs[0].shape[4];
  const flat = tf.concat(outputs.map((o) => tf.reshape(o, [-1, no])), 0) as tf.Tensor2D;
  const objLogits = tf.reshape(tf.slice(flat, [0, 4], [p.cells, 1]), [p.cells]);
  const objWeight = tf.tensor1d(p.objWeight);
  if (p.count === 0) {
    const obj = tf.sum(tf.mul(bceWithLogits(objLogits, tf.zeros([p.cells]), bce.obj), objWeight)) as tf.Scalar;
    return { box: tf.scalar(0), obj, cls: tf.scalar(0) };
  }
  const rowWeight = tf.tensor1d(p.rowWeight);
  const ps = gatherRows(flat, p.flatIndex);
  const pxy = tf.sub(tf.mul(tf.sigmoid(tf.slice(ps, [0, 0], [p.count, 2])), 2), 0.5);
  const pwh = tf.mul(tf.square(tf.mul(tf.sigmoid(tf.slice(ps, [0, 2], [p.count, 2])), 2)), tf.tensor2d(p.anchorWh, [p.count, 2]));
  const iou = ciou(pxy as tf.Tensor2D, pwh as tf.Tensor2D, p.box);
  const box = tf.sum(tf.mul(tf.sub(1, iou), rowWeight)) as tf.Scalar;

  // Objectness target: the detached CIoU clamped at 0 at each positive cell (the last write wins), 0 elsewhere.
  // Levels' cells do not overlap in the pooled rows, so "last write" stays within a level, as per level before.
  const kept = lastWriteRows(p.flatIndex);
  const tobj = detached((positiveIou) => {
    const objAtKept = tf.gather(tf.relu(positiveIou), tf.tensor1d(kept.rows, 'int32'));
    return tf.scatterND(tf.tensor2d(kept.flatIndex, [kept.flatIndex.length, 1], 'int32'), objAtKept, [p.cells]);
  })(iou);
  const obj = tf.sum(tf.mul(bceWithLogits(objLogits, tobj, bce.obj), objWeight)) as tf.Scalar;

  // Class BCE is a mean over each level's positives × nc.
  const cls =
    nc > 1
      ? (tf.sum(tf.mul(bceWithLogits(tf.slice(ps, [0, 5], [p.count, nc]), oneHot(p.cls, nc), bce.cls), tf.tensor2d(p.rowWeight.map((w) => w / nc), [p.count, 1]))) as tf.Scalar)
      : tf.scalar(0);
  return { box, obj, cls };
}

/** The training loss of one batch, as ScaledYOLOv4 computes it. */
export function computeLoss(input: LossInput): LossResult {
  const { outputs, nc, hyp } = input;
  const levels = buildTargets({ ...input, anchorT: hyp.anchor_t });
  return tf.tidy(() => {
    const nl = outputs.length;
    const bce = {
      obj: { posWeight: hyp.obj_pw, focalGamma: hyp.fl_gamma },
      cls: { posWeight: hyp.cls_pw, focalGamma: hyp.fl_gamma },
    };
    const terms = pooledTerms(outputs, pool(outputs, levels, levelBalance(nl)), nc, bce);
    const s = 3 / nl;
    const lbox = tf.mul(terms.box, hyp.box * s);
    const lobj = tf.mul(terms.obj, hyp.obj * s * (nl >= 4 ? 1.4 : 1));
    const lcls = tf.mul(terms.cls, hyp.cls * (nc / 80) * s);
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
