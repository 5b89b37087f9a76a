/**
 * One training step of a tiny net that uses every op family of the YOLOv4 models and their loss (convs with strides
 * and 1x1 shortcuts, batch statistics, Mish/ReLU/LeakyReLU/SiLU, SE gating, SPP max pools, ceil-mode pool, grouped conv
 * by split/concat and by depthwise conv, ×2 nearest upsampling by tile, concat, the Detect reshape, BCE-with-logits,
 * CIoU's atan, gather): its gradients on wasm must equal the cpu backend's, with no missing kernel, and SGD on wasm
 * must lower the loss. The kernels it ran are listed in docs/performance.md.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { measurePeakMemory } from '../../../src/runtime/memory';
import { onBackend, randomValues, relativeError } from './compare';

const SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  down: [3, 3, 8, 16],
  short: [1, 1, 8, 16],
  grouped: [3, 3, 4, 8], // half of one group's [3,3,8,8] filter (tiled below); 2 groups of 8 → 16 channels
  dw: [3, 3, 16, 1],
  se1: [16, 4],
  se2: [4, 16],
  spp: [1, 1, 64, 16],
  head: [1, 1, 32, 3 * 9],
  bnGamma: [16],
  bnBeta: [16],
};

function makeParams(): Record<string, tf.Tensor> {
  const params: Record<string, tf.Tensor> = {};
  let seed = 100;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b);
    const scale = name.startsWith('bn') ? 0.1 : 1 / Math.sqrt(size / shape[shape.length - 1]);
    params[name] = tf.tensor(randomValues(size, seed++).map((v) => v * scale + (name === 'bnGamma' ? 1 : 0)), shape);
  }
  return params;
}

const mish = (x: tf.Tensor) => tf.mul(x, tf.tanh(tf.softplus(x)));

function batchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
}

function forwardLoss(p: Record<string, tf.Tensor>, images: tf.Tensor4D, target: tf.Tensor): tf.Scalar {
  let x = mish(tf.conv2d(images, p.stem as tf.Tensor4D, 1, 'same')); // [2,16,16,8]
  x = tf.maxPool(x as tf.Tensor4D, 3, 2, 0, 'ceil'); // SE-ResNet stem pool → [2,8,8,8]
  const shortcut = tf.conv2d(x as tf.Tensor4D, p.short as tf.Tensor4D, 2, 'valid'); // 1x1/2 → [2,4,4,16]
  let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, p.down as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  y = tf.relu(batchNorm(y, p.bnGamma, p.bnBeta));
  // Grouped conv (groups=2) by split → conv → concat.
  const [g0, g1] = tf.split(y, 2, 3);
  const wg = tf.concat([p.grouped, p.grouped], 2) as tf.Tensor4D; // [3,3,8,8]
  y = tf.concat([tf.conv2d(g0 as tf.Tensor4D, wg, 1, 'same'), tf.conv2d(g1 as tf.Tensor4D, wg, 1, 'same')], 3);
  y = tf.add(y, tf.depthwiseConv2d(y as tf.Tensor4D, p.dw as tf.Tensor4D, 1, 'same')); // the depthwise strategy
  // Squeeze-and-excitation gate.
  const squeeze = tf.mean(y, [1, 2]);
  const gate = tf.sigmoid(tf.matMul(tf.relu(tf.matMul(squeeze as tf.Tensor2D, p.se1 as tf.Tensor2D)), p.se2 as tf.Tensor2D));
  y = tf.leakyRelu(tf.add(tf.mul(y, tf.reshape(gate, [2, 1, 1, 16])), shortcut), 0.1); // [2,4,4,16]
  // SPP: 5/9/13 'same' pools, concat, 1x1.
  const spp = tf.concat([y, ...[5, 9, 13].map((k) => tf.maxPool(y as tf.Tensor4D, k, 1, 'same'))], 3);
  let z = tf.conv2d(spp as tf.Tensor4D, p.spp as tf.Tensor4D, 1, 'valid');
  z = tf.mul(z, tf.sigmoid(z)); // SiLU
  // ×2 nearest upsampling by a broadcast multiply (correct on every backend; tfjs has no gradient for rank-6 tile).
  const up = tf.reshape(tf.mul(tf.reshape(z, [2, 4, 1, 4, 1, 16]), tf.ones([1, 1, 2, 1, 2, 1])), [2, 8, 8, 16]);
  const skip = tf.avgPool(tf.concat([x, x], 3) as tf.Tensor4D, 1, 1, 'valid');
  const head = tf.conv2d(tf.concat([up, skip], 3) as tf.Tensor4D, p.head as tf.Tensor4D, 1, 'valid'); // [2,8,8,27]
  const out = tf.transpose(tf.reshape(head, [2, 8, 8, 3, 9]), [0, 3, 1, 2, 4]); // Detect layout [N,3,ny,nx,nc+5]
  // Loss pieces: gathered predictions, sigmoid/exp box decoding, CIoU's atan term, BCE with logits.
  const flat = tf.reshape(out, [-1, 9]);
  const picked = tf.gather(flat, tf.tensor1d([3, 40, 41, 300, 77], 'int32'));
  const xy = tf.sub(tf.mul(tf.sigmoid(tf.slice(picked, [0, 0], [-1, 2])), 2), 0.5);
  const wh = tf.square(tf.mul(tf.sigmoid(tf.slice(picked, [0, 2], [-1, 2])), 2));
  const atanTerm = tf.square(tf.sub(tf.atan(tf.div(wh.slice([0, 0], [-1, 1]), tf.add(wh.slice([0, 1], [-1, 1]), 1e-7))), 0.5));
  const boxLoss = tf.add(tf.mean(tf.abs(tf.sub(xy, 0.5))), tf.mean(atanTerm));
  const objLoss = tf.losses.sigmoidCrossEntropy(target, tf.reshape(tf.slice(out, [0, 0, 0, 0, 4], [-1, -1, -1, -1, 1]), target.shape));
  const clsLoss = tf.mean(tf.maximum(tf.sub(tf.exp(tf.clipByValue(tf.slice(picked, [0, 5], [-1, 4]), -5, 5)), 1), 0));
  return tf.addN([boxLoss, objLoss, clsLoss]) as tf.Scalar;
}

const images = randomValues(2 * 16 * 16 * 3, 1).map((v) => (v + 1) / 2);
const target = randomValues(2 * 3 * 8 * 8, 2).map((v) => (v > 0.6 ? 1 : 0));

function gradients(): tf.Tensor[] {
  const p = makeParams();
  const names = Object.keys(p);
  const img = tf.tensor4d(images, [2, 16, 16, 3]);
  const tgt = tf.tensor(target, [2, 3, 8, 8]);
  const { value, grads } = tf.valueAndGrads((...vars: tf.Tensor[]) =>
    forwardLoss(Object.fromEntries(names.map((n, i) => [n, vars[i]])), img, tgt),
  )(names.map((n) => p[n]));
  return [value, ...grads];
}

describe('a full training step on wasm', () => {
  it('has every kernel it needs and matches the cpu backend', async () => {
    await setBackend('wasm');
    const { result: wasm, kernels } = await measurePeakMemory(() => onBackend('wasm', gradients));
    const cpu = await onBackend('cpu', gradients);
    expect(wasm).toHaveLength(Object.keys(SHAPES).length + 1);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-5); // the loss
    const names = ['loss', ...Object.keys(SHAPES)];
    for (let i = 1; i < wasm.length; i++) {
      expect({ name: names[i], err: relativeError(wasm[i], cpu[i]) < 1e-4 }).toEqual({ name: names[i], err: true });
    }
    // The kernels whose wasm versions are ours were really used.
    for (const k of ['Conv2DBackpropFilter', 'MaxPoolGrad', 'DepthwiseConv2dNativeBackpropFilter', 'UnsortedSegmentSum']) {
      expect(kernels[k]?.count, k).toBeGreaterThan(0);
    }
  });

  it('SGD on wasm lowers the loss without leaking tensors', async () => {
    await setBackend('wasm');
    const p = makeParams();
    const vars = Object.fromEntries(Object.entries(p).map(([n, t]) => [n, tf.variable(t)]));
    tf.dispose(Object.values(p));
    const img = tf.tensor4d(images, [2, 16, 16, 3]);
    const tgt = tf.tensor(target, [2, 3, 8, 8]);
    const optimizer = tf.train.sgd(0.05);
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    for (let step = 0; step < 8; step++) {
      const loss = optimizer.minimize(() => forwardLoss(vars, img, tgt), true) as tf.Scalar;
      losses.push((await loss.data())[0]);
      loss.dispose();
      if (step === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(losses[7]).toBeLessThan(losses[0] * 0.9);
    optimizer.dispose();
    tf.dispose([img, tgt, ...Object.values(vars)]);
  });
});
