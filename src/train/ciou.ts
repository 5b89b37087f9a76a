/**
 * Complete IoU of ScaledYOLOv4's bbox_iou(..., x1y1x2y2=False, CIoU=True), in tf ops with gradients:
 * CIoU = IoU − ρ²/c² − α·v, v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))², α = v/(1 − IoU + v) without gradient.
 * The small epsilons are the source's (1e-16 on heights, union, c² and α's denominator).
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './tf-ops';

const EPS = 1e-16;

function columns(box: tf.Tensor2D): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const [x, y, w, h] = tf.split(box, 4, 1);
  return [x.reshape([-1]), y.reshape([-1]), w.reshape([-1]), h.reshape([-1])];
}

/** CIoU of matching rows of two [n, 4] (cx, cy, w, h) tensors → [n]. */
export function ciou(pred: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [px, py, pw, ph] = columns(pred);
    const [tx, ty, tw, th] = columns(target);
    const half = (v: tf.Tensor) => tf.mul(v, 0.5);
    const [p1x, p2x, p1y, p2y] = [tf.sub(px, half(pw)), tf.add(px, half(pw)), tf.sub(py, half(ph)), tf.add(py, half(ph))];
    const [t1x, t2x, t1y, t2y] = [tf.sub(tx, half(tw)), tf.add(tx, half(tw)), tf.sub(ty, half(th)), tf.add(ty, half(th))];

    const interW = tf.relu(tf.sub(tf.minimum(p2x, t2x), tf.maximum(p1x, t1x)));
    const interH = tf.relu(tf.sub(tf.minimum(p2y, t2y), tf.maximum(p1y, t1y)));
    const inter = tf.mul(interW, interH);
    const w1 = tf.sub(p2x, p1x);
    const h1 = tf.add(tf.sub(p2y, p1y), EPS);
    const w2 = tf.sub(t2x, t1x);
    const h2 = tf.add(tf.sub(t2y, t1y), EPS);
    const union = tf.add(tf.sub(tf.add(tf.mul(w1, h1), tf.mul(w2, h2)), inter), EPS);
    const iou = tf.div(inter, union);

    const cw = tf.sub(tf.maximum(p2x, t2x), tf.minimum(p1x, t1x));
    const ch = tf.sub(tf.maximum(p2y, t2y), tf.minimum(p1y, t1y));
    const c2 = tf.add(tf.add(tf.square(cw), tf.square(ch)), EPS);
    const dx = tf.sub(tf.add(t1x, t2x), tf.add(p1x, p2x));
    const dy = tf.sub(tf.add(t1y, t2y), tf.add(p1y, p2y));
    const rho2 = tf.div(tf.add(tf.square(dx), tf.square(dy)), 4);

    const v = tf.mul(tf.square(tf.sub(tf.atan(tf.div(w2, h2)), tf.atan(tf.div(w1, h1)))), 4 / Math.PI ** 2);
    const alpha = stopGradient(tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), EPS)));
    return tf.sub(iou, tf.add(tf.div(rho2, c2), tf.mul(v, alpha))) as tf.Tensor1D;
  });
}
