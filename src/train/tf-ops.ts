/**
 * Small differentiable tf building blocks the loss needs that tfjs lacks, written so that every kernel they use
 * exists on the cpu, wasm and webgpu backends (wasm has no UnsortedSegmentSum, which tf.gather's own gradient uses).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * `fn(x)` computed as a constant for the gradient tape (PyTorch's `fn(x.detach())`). The ops inside run as one
 * custom-gradient kernel, so they are not taped: they may use kernels that have no gradient (ScatterNd).
 */
export function detached(fn: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args) => {
    const x = args[0] as tf.Tensor;
    return { value: fn(x), gradFunc: () => tf.zerosLike(x) };
  });
}

/** The value of `x` with no gradient (PyTorch's `.detach()`). */
export const stopGradient = detached((x) => tf.clone(x));

/**
 * Rows `indices` of the 2-D tensor `x` ([rows, cols] → [n, cols]). The gradient scatters (and sums) `dy` back with
 * ScatterNd, which every backend has.
 */
export function gatherRows(x: tf.Tensor2D, indices: Int32Array): tf.Tensor2D {
  const [rows, cols] = x.shape;
  const gather = tf.customGrad((...args) => {
    const input = args[0] as tf.Tensor;
    const index1d = tf.tensor1d(indices, 'int32');
    const value = tf.gather(input, index1d);
    index1d.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) =>
        tf.tidy(() => tf.scatterND(tf.tensor2d(indices, [indices.length, 1], 'int32'), dy as tf.Tensor, [rows, cols])),
    };
  });
  return gather(x) as tf.Tensor2D;
}

export interface BceOptions {
  /** PyTorch's BCEWithLogitsLoss pos_weight (hyp cls_pw / obj_pw). */
  posWeight: number;
  /** Focal loss gamma (hyp fl_gamma); 0 is plain BCE. ScaledYOLOv4's FocalLoss uses alpha 0.25. */
  focalGamma: number;
}

const FOCAL_ALPHA = 0.25;

/**
 * Element-wise binary cross-entropy with logits, in the stable form pw·y·softplus(−x) + (1−y)·softplus(x)
 * (log σ(x) = −softplus(−x)), optionally wrapped in ScaledYOLOv4's FocalLoss.
 */
export function bceWithLogits(logits: tf.Tensor, target: tf.Tensor, opts: BceOptions): tf.Tensor {
  return tf.tidy(() => {
    const spPos = tf.softplus(logits);
    const spNeg = tf.sub(spPos, logits); // softplus(−x)
    const positive = tf.mul(tf.mul(target, spNeg), opts.posWeight);
    let loss = tf.add(positive, tf.mul(tf.sub(1, target), spPos));
    if (opts.focalGamma > 0) {
      const p = tf.sigmoid(logits);
      const pT = tf.add(tf.mul(target, p), tf.mul(tf.sub(1, target), tf.sub(1, p)));
      const alphaFactor = tf.add(tf.mul(target, FOCAL_ALPHA), tf.mul(tf.sub(1, target), 1 - FOCAL_ALPHA));
      loss = tf.mul(loss, tf.mul(alphaFactor, tf.pow(tf.sub(1, pT), opts.focalGamma)));
    }
    return loss;
  });
}
