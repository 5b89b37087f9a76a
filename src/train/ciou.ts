/**
 * Complete IoU of ScaledYOLOv4's bbox_iou(..., x1y1x2y2=False, CIoU=True), in tf ops with gradients:
 * CIoU = IoU − ρ²/c² − α·v, v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))², α = v/(1 − IoU + v) without gradient.
 * The small epsilons are the source's (1e-16 on heights, union, c² and α's denominator).
 *
 * Written for few kernels (each a GPU dispatch on webgpu, forward and backward): x and y go through each step as one
 * [n, 2] tensor, and everything about the targets, which are constants from the CPU, is computed there.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './tf-ops';

const EPS = 1e-16;

/** The target side of CIoU, from rows of (cx, cy, w, h): corners, their sums, area and aspect angle. */
function targetConstants(target: Float32Array, n: number) {
  const t1 = new Float32Array(n * 2);
  const t2 = new Float32Array(n * 2);
  const area = new Float32Array(n);
  const angle = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [cx, cy, w, h] = target.subarray(i * 4, i * 4 + 4);
    t1.set([cx - w / 2, cy - h / 2], i * 2);
    t2.set([cx + w / 2, cy + h / 2], i * 2);
    const w2 = t2[i * 2] - t1[i * 2];
    const h2 = t2[i * 2 + 1] - t1[i * 2 + 1] + EPS;
    area[i] = w2 * h2;
    angle[i] = Math.atan(w2 / h2);
  }
  return { t1: tf.tensor2d(t1, [n, 2]), t2: tf.tensor2d(t2, [n, 2]), sum: tf.tensor2d(t1.map((v, i) => v + t2[i]), [n, 2]), area: tf.tensor1d(area), angle: tf.tensor1d(angle) };
}

/** CIoU of predicted centres `pxy` and sizes `pwh` ([n, 2] each) against rows of (cx, cy, w, h) → [n]. */
export function ciou(pxy: tf.Tensor2D, pwh: tf.Tensor2D, target: Float32Array): tf.Tensor1D {
  return tf.tidy(() => {
    const n = pxy.shape[0];
    const t = targetConstants(target, n);
    const half = tf.mul(pwh, 0.5);
    const p1 = tf.sub(pxy, half);
    const p2 = tf.add(pxy, half);

    const inter = tf.prod(tf.relu(tf.sub(tf.minimum(p2, t.t2), tf.maximum(p1, t.t1))), 1);
    // (w1, h1 + ε): the source adds ε to heights only.
    const wh1 = tf.add(tf.sub(p2, p1), tf.tensor2d([0, EPS], [1, 2]));
    const union = tf.add(tf.sub(tf.add(tf.prod(wh1, 1), t.area), inter), EPS);
    const iou = tf.div(inter, union);

    const c2 = tf.add(tf.sum(tf.square(tf.sub(tf.maximum(p2, t.t2), tf.minimum(p1, t.t1))), 1), EPS);
    const rho2 = tf.div(tf.sum(tf.square(tf.sub(t.sum, tf.add(p1, p2))), 1), 4);

    const [w1, h1] = tf.split(wh1, 2, 1);
    const v = tf.mul(tf.square(tf.sub(t.angle, tf.reshape(tf.atan(tf.div(w1, h1)), [n]))), 4 / Math.PI ** 2);
    const alpha = stopGradient(tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), EPS)));
    return tf.sub(iou, tf.add(tf.div(rho2, c2), tf.mul(v, alpha))) as tf.Tensor1D;
  });
}
