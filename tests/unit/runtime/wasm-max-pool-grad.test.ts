/**
 * Max pooling on wasm, forward and backward, against a hand-written reference and the cpu backend, for the pools the
 * models use: SPP's 5/9/13 stride-1 'same' pools, the ResNet stem's 3x3/2 pad 1, SE-ResNet's ceil-mode 3x3/2, and a
 * plain 2x2/2. Our kernels replace tfjs' wasm MaxPoolGrad (which drops the gradient of windows that are all ≤ 0) and
 * wrap its MaxPool (which ignores ceil rounding); src/runtime/gradient-fixes.ts makes the MaxPool gradient pass the
 * rounding mode on (tfjs drops it on every backend).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBackend, randomValues, relativeError } from './compare';

interface Case {
  name: string;
  shape: [number, number, number, number];
  k: number;
  stride: number;
  pad: 'same' | 'valid' | number;
  rounding?: 'ceil' | 'floor';
}

const cases: Case[] = [
  { name: 'SPP 5x5 s1 same', shape: [2, 6, 6, 3], k: 5, stride: 1, pad: 'same' },
  { name: 'SPP 9x9 s1 same', shape: [1, 7, 7, 2], k: 9, stride: 1, pad: 'same' },
  { name: 'SPP 13x13 s1 same', shape: [1, 8, 8, 2], k: 13, stride: 1, pad: 'same' },
  { name: 'ResNet stem 3x3 s2 pad 1', shape: [2, 9, 9, 3], k: 3, stride: 2, pad: 1 },
  { name: 'SE-ResNet stem 3x3 s2 pad 0 ceil', shape: [2, 8, 8, 3], k: 3, stride: 2, pad: 0, rounding: 'ceil' },
  { name: 'ceil, odd size', shape: [1, 9, 10, 2], k: 3, stride: 2, pad: 0, rounding: 'ceil' },
  { name: '2x2 s2 valid', shape: [1, 6, 6, 4], k: 2, stride: 2, pad: 'valid' },
];

/**
 * maxPool(x) and the dx of sum(maxPool(x) * r), by brute force: each window's first maximum (row-major) takes r.
 * Output size as PyTorch defines it: floor or ceil of (h + 2p - k) / s + 1.
 */
function reference(c: Case, x: Float32Array, r: Float32Array): { y: Float32Array; dx: Float32Array } {
  const [n, h, w, ch] = c.shape;
  // Top/left padding and output size as tfjs computes them (checked against the formula below for numeric pads).
  const info = tf.backend_util.computePool2DInfo(c.shape, c.k, c.stride, 1, c.pad, c.rounding);
  const [oh, ow] = [info.outHeight, info.outWidth];
  if (typeof c.pad === 'number') {
    const round = c.rounding === 'ceil' ? Math.ceil : Math.floor;
    expect(oh).toBe(round((h + 2 * c.pad - c.k) / c.stride) + 1);
  }
  const dx = new Float32Array(x.length);
  const y = new Float32Array(n * oh * ow * ch);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < ch; k++) {
          let best = -Infinity;
          let at = -1;
          for (let dy = 0; dy < c.k; dy++)
            for (let dxi = 0; dxi < c.k; dxi++) {
              const iy = oy * c.stride - info.padInfo.top + dy;
              const ix = ox * c.stride - info.padInfo.left + dxi;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
              const i = ((b * h + iy) * w + ix) * ch + k;
              if (x[i] > best) {
                best = x[i];
                at = i;
              }
            }
          const o = ((b * oh + oy) * ow + ox) * ch + k;
          y[o] = best;
          dx[at] += r[o];
        }
  return { y, dx };
}

function poolGrad(c: Case, xv: Float32Array, rv: Float32Array): tf.Tensor[] {
  const x = tf.tensor4d(xv, c.shape);
  const y = tf.maxPool(x, c.k, c.stride, c.pad, c.rounding);
  const r = tf.tensor(rv.subarray(0, y.size), y.shape);
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xi as tf.Tensor4D, c.k, c.stride, c.pad, c.rounding), r)))(x);
  return [y, dx];
}

describe('wasm MaxPoolGrad', () => {
  for (const c of cases) {
    for (const sign of ['mixed', 'all ≤ 0'] as const) {
      it(`${c.name}, ${sign} inputs`, async () => {
        const size = c.shape.reduce((a, b) => a * b);
        const xv = randomValues(size, 11);
        // All-negative inputs are exactly where tfjs' stock wasm kernel returned zeros.
        if (sign === 'all ≤ 0') for (let i = 0; i < size; i++) xv[i] = -Math.abs(xv[i]);
        const rv = randomValues(size, 12).map((v) => v + 2); // positive and distinct, so lost gradient shows
        const [yWasm, dxWasm] = await onBackend('wasm', () => poolGrad(c, xv, rv));
        const [yCpu, dxCpu] = await onBackend('cpu', () => poolGrad(c, xv, rv));
        const expected = reference(c, xv, rv);
        expect(relativeError(yWasm, expected.y)).toBe(0);
        expect(relativeError(yCpu, expected.y)).toBe(0);
        expect(relativeError(dxWasm, expected.dx)).toBeLessThan(1e-6);
        expect(relativeError(dxCpu, expected.dx)).toBeLessThan(1e-6);
        // The gradient is conserved: every output routes its whole weight to one input.
        const total = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
        expect(total(dxWasm)).toBeCloseTo(total(rv.subarray(0, yWasm.length)), 2);
      });
    }
  }
});
