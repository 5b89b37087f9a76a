/**
 * Conv2DBackpropFilter and Conv2DBackpropInput on wasm (ours, src/runtime/wasm-kernels) against the cpu backend, for
 * the conv shapes the backbones use (1x1, 3x3 and 7x7, strides 1 and 2, same/valid/numeric/explicit padding, odd sizes)
 * and a few more that stress the strided input gradient's phases (5x5/2, 3x3/3).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { filterGradTuning } from '../../../src/runtime/wasm-kernels/conv2d-backprop-filter';
import { onBackend, randomValues, relativeError } from './compare';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  name: string;
  x: [number, number, number, number];
  k: number;
  co: number;
  stride: number;
  pad: Pad;
}

const cases: Case[] = [
  { name: '3x3 s1 same', x: [2, 9, 9, 4], k: 3, co: 5, stride: 1, pad: 'same' },
  { name: '3x3 s2 same, odd size', x: [2, 9, 11, 3], k: 3, co: 4, stride: 2, pad: 'same' },
  { name: '3x3 s2 numeric pad 1 (PyTorch Conv2d(k3,s2,p1))', x: [3, 8, 8, 4], k: 3, co: 6, stride: 2, pad: 1 },
  { name: '1x1 s1 valid', x: [2, 6, 5, 8], k: 1, co: 3, stride: 1, pad: 'valid' },
  { name: '1x1 s2 valid (ResNet downsample shortcut)', x: [2, 7, 7, 4], k: 1, co: 6, stride: 2, pad: 'valid' },
  { name: '7x7 s2 pad 3 (ResNet stem)', x: [1, 16, 16, 3], k: 7, co: 4, stride: 2, pad: 3 },
  { name: '3x3 s2 explicit asymmetric pad', x: [2, 10, 10, 2], k: 3, co: 3, stride: 2, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
  { name: '3x3 s1 valid', x: [1, 7, 6, 3], k: 3, co: 2, stride: 1, pad: 'valid' },
  { name: '3x3 s2 valid, even size (last row unused)', x: [2, 8, 8, 3], k: 3, co: 4, stride: 2, pad: 'valid' },
  { name: '3x3 s2 same, even size', x: [2, 8, 6, 5], k: 3, co: 3, stride: 2, pad: 'same' },
  { name: '5x5 s2 pad 2 (polyphase with unequal sub-kernels)', x: [1, 11, 9, 3], k: 5, co: 4, stride: 2, pad: 2 },
  { name: '3x3 s3 valid (one tap per phase)', x: [2, 10, 11, 2], k: 3, co: 3, stride: 3, pad: 'valid' },
];

function convGrads(c: Case, xv: Float32Array, wv: Float32Array, rv: Float32Array): tf.Tensor[] {
  const x = tf.tensor4d(xv, c.x);
  const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.co]);
  const loss = (xi: tf.Tensor, wi: tf.Tensor) => {
    const y = tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, c.pad);
    // A random weighting makes every dy element distinct, so a misplaced gradient cannot cancel out.
    return tf.sum(tf.mul(y, tf.tensor(rv.subarray(0, y.size), y.shape)));
  };
  const [dx, dw] = tf.grads(loss)([x, w]);
  return [dx, dw];
}

describe('wasm conv gradients (input and filter)', () => {
  const defaultLimit = filterGradTuning.im2colMaxElements;
  afterAll(() => {
    filterGradTuning.im2colMaxElements = defaultLimit;
  });
  // The filter gradient has two paths: im2col + matmul (small enough patch matrices) and the dilated-conv trick.
  for (const path of ['im2col', 'conv trick'] as const) {
    for (const c of cases) {
      it(`matches the cpu backend (${path}): ${c.name}`, async () => {
        filterGradTuning.im2colMaxElements = path === 'im2col' ? defaultLimit : 0;
        const xv = randomValues(c.x.reduce((a, b) => a * b), 1);
        const wv = randomValues(c.k * c.k * c.x[3] * c.co, 2);
        const rv = randomValues(c.x[0] * c.x[1] * c.x[2] * c.co, 3);
        const [dxCpu, dwCpu] = await onBackend('cpu', () => convGrads(c, xv, wv, rv));
        const [dxWasm, dwWasm] = await onBackend('wasm', () => convGrads(c, xv, wv, rv));
        expect(relativeError(dwWasm, dwCpu)).toBeLessThan(1e-5);
        expect(relativeError(dxWasm, dxCpu)).toBeLessThan(1e-5);
      });
    }
  }

  it('agrees with a hand-written sum over positions', async () => {
    filterGradTuning.im2colMaxElements = defaultLimit;
    // dW[i,j,ci,co] = Σ_{n,y,x} x[n, 2y+i-1, 2x+j-1, ci] · dy[n,y,x,co] for a 3x3 stride-2 conv with padding 1.
    const [n, h, w, ci, co] = [2, 6, 6, 2, 3];
    const xv = randomValues(n * h * w * ci, 7);
    const dyv = randomValues(n * 3 * 3 * co, 8);
    const [dw] = await onBackend('wasm', () => {
      const x = tf.tensor4d(xv, [n, h, w, ci]);
      const filter = tf.zeros([3, 3, ci, co]) as tf.Tensor4D;
      const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 2, 1), tf.tensor4d(dyv, [n, 3, 3, co]))));
      return [g(filter)];
    });
    const expected = new Float32Array(3 * 3 * ci * co);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let a = 0; a < ci; a++)
          for (let b = 0; b < co; b++) {
            let sum = 0;
            for (let s = 0; s < n; s++)
              for (let y = 0; y < 3; y++)
                for (let q = 0; q < 3; q++) {
                  const iy = 2 * y + i - 1;
                  const ix = 2 * q + j - 1;
                  if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                  sum += xv[((s * h + iy) * w + ix) * ci + a] * dyv[((s * 3 + y) * 3 + q) * co + b];
                }
            expected[((i * 3 + j) * ci + a) * co + b] = sum;
          }
    expect(relativeError(dw, expected)).toBeLessThan(1e-5);
  });
});
