/**
 * The 'kernel' grouped conv on wasm (our WebAssembly SIMD kernels, src/runtime/wasm-kernels/grouped-conv) against a
 * float64 brute-force reference and against the 'split' strategy on the cpu backend: forward, input gradient and
 * filter gradient, over the channel counts ResNeXt uses at its scales (1, 2, 3, 4, 8 per group) and mixed ones:
 * multiples of 4 run as they are, the others through the loader's zero-padding of channels.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { groupedConv2d, hasGroupedConvKernel, type GroupedConvStrategy, type Padding } from '../../../src/model/modules/grouped-conv';
import { setBackend } from '../../../src/runtime/backend';
import { countReadbacks } from '../../../src/runtime/readbacks';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
} from '../../../src/model/modules/grouped-conv-kernel';
import { outputSize, type GroupedConvGeometry } from '../../../src/runtime/wasm-kernels/grouped-conv/kernels';
import { onBackend, randomValues, relativeError } from './compare';

/** A test shape: a 3x3 grouped conv's geometry. */
type Case = Omit<GroupedConvGeometry, 'kh' | 'kw'>;

const p1: Case['pad'] = [1, 1, 1, 1];
const cases: Case[] = [
  { n: 1, h: 7, w: 9, groups: 32, cig: 1, cog: 1, stride: 1, pad: p1 }, // scale n, stage 1
  { n: 3, h: 9, w: 7, groups: 32, cig: 2, cog: 2, stride: 2, pad: p1 }, // scale n, stage 2 (first block)
  { n: 1, h: 5, w: 11, groups: 32, cig: 3, cog: 3, stride: 1, pad: p1 }, // scale m, stage 1
  { n: 3, h: 7, w: 7, groups: 32, cig: 4, cog: 4, stride: 1, pad: p1 }, // scale l, stage 1
  { n: 1, h: 9, w: 9, groups: 32, cig: 4, cog: 4, stride: 2, pad: p1 },
  { n: 3, h: 5, w: 5, groups: 32, cig: 8, cog: 8, stride: 2, pad: p1 }, // scale l, stage 2 (first block)
  { n: 1, h: 6, w: 10, groups: 2, cig: 8, cog: 8, stride: 1, pad: p1 },
  { n: 3, h: 7, w: 5, groups: 2, cig: 3, cog: 4, stride: 1, pad: p1 }, // only dx pads channels
  { n: 1, h: 9, w: 7, groups: 2, cig: 4, cog: 3, stride: 2, pad: p1 }, // only forward and dW pad channels
  { n: 1, h: 5, w: 7, groups: 2, cig: 6, cog: 6, stride: 1, pad: p1 }, // scale m, stage 2: 6 → 8 per group
  { n: 3, h: 9, w: 9, groups: 1, cig: 4, cog: 8, stride: 1, pad: p1 },
  { n: 1, h: 7, w: 7, groups: 1, cig: 3, cog: 2, stride: 2, pad: p1 },
  { n: 3, h: 8, w: 8, groups: 2, cig: 4, cog: 4, stride: 2, pad: [1, 0, 0, 1] }, // asymmetric, last row unused
  { n: 1, h: 6, w: 6, groups: 2, cig: 2, cog: 4, stride: 1, pad: [0, 0, 0, 0] },
];

const name = (c: Case) =>
  `n${c.n} ${c.h}x${c.w} groups ${c.groups} cin/g ${c.cig} cout/g ${c.cog} stride ${c.stride} pad ${c.pad.join(',')}`;

function geometry(c: Case): GroupedConvGeometry {
  return { n: c.n, h: c.h, w: c.w, groups: c.groups, cig: c.cig, cog: c.cog, kh: 3, kw: 3, stride: c.stride, pad: c.pad };
}

function data(c: Case) {
  const { oh, ow } = outputSize(geometry(c));
  const x = randomValues(c.n * c.h * c.w * c.groups * c.cig, 1);
  const w = randomValues(9 * c.cig * c.groups * c.cog, 2);
  const dy = randomValues(c.n * oh * ow * c.groups * c.cog, 3);
  return { x, w, dy, yShape: [c.n, oh, ow, c.groups * c.cog] };
}

/** y, dx and dW of the grouped conv in float64, straight from the definition (dy given). */
function reference(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const { oh, ow } = outputSize(geometry(c));
  const cin = c.groups * c.cig;
  const cout = c.groups * c.cog;
  const y = new Float64Array(c.n * oh * ow * cout);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < c.n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let o = 0; o < cout; o++) {
          const g = Math.floor(o / c.cog);
          const yi = ((b * oh + oy) * ow + ox) * cout + o;
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * c.stride + ky - c.pad[0];
              const ix = ox * c.stride + kx - c.pad[2];
              if (iy < 0 || ix < 0 || iy >= c.h || ix >= c.w) continue;
              for (let i = 0; i < c.cig; i++) {
                const xi = ((b * c.h + iy) * c.w + ix) * cin + g * c.cig + i;
                const wi = ((ky * 3 + kx) * c.cig + i) * cout + o;
                y[yi] += x[xi] * w[wi];
                dx[xi] += dy[yi] * w[wi];
                dw[wi] += x[xi] * dy[yi];
              }
            }
        }
  return { y, dx, dw };
}

/** y, dx, dW through the model's op and tf.grads, with loss Σ y·dy so that the incoming gradient is dy. */
function opWithGrads(c: Case, strategy: GroupedConvStrategy, x: Float32Array, w: Float32Array, dy: Float32Array): tf.Tensor[] {
  const { yShape } = data(c);
  const pad: Padding = [
    [0, 0],
    [c.pad[0], c.pad[1]],
    [c.pad[2], c.pad[3]],
    [0, 0],
  ];
  const conv = (xi: tf.Tensor, wi: tf.Tensor) => groupedConv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, pad, c.groups, strategy);
  const xt = tf.tensor4d(x, [c.n, c.h, c.w, c.groups * c.cig]);
  const wt = tf.tensor4d(w, [3, 3, c.cig, c.groups * c.cog]);
  const dyt = tf.tensor(dy, yShape);
  const [dx, dw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(conv(xi, wi), dyt)))([xt, wt]);
  return [conv(xt, wt), dx, dw];
}

/** The three registered wasm kernels called directly (dense cases included, which the op routes elsewhere). */
function kernelsDirect(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array): tf.Tensor[] {
  const { yShape } = data(c);
  const xShape = [c.n, c.h, c.w, c.groups * c.cig];
  const wShape = [3, 3, c.cig, c.groups * c.cog];
  const attrs = { stride: c.stride, pad: c.pad, groups: c.groups, inputShape: xShape, filterShape: wShape };
  const [xt, wt, dyt] = [tf.tensor(x, xShape), tf.tensor(w, wShape), tf.tensor(dy, yShape)];
  const run = (name: string, inputs: tf.NamedTensorMap) =>
    tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  return [
    run(GROUPED_CONV2D, { x: xt, filter: wt }),
    run(GROUPED_CONV2D_BACKPROP_INPUT, { dy: dyt, filter: wt }),
    run(GROUPED_CONV2D_BACKPROP_FILTER, { x: xt, dy: dyt }),
  ];
}

describe('grouped conv SIMD kernels on wasm (the registered kernels, direct)', () => {
  for (const c of cases) {
    it(`match the float64 reference: ${name(c)}`, async () => {
      const { x, w, dy } = data(c);
      const ref = reference(c, x, w, dy);
      await setBackend('wasm');
      const before = tf.memory().numTensors;
      const [y, dx, dw] = await onBackend('wasm', () => kernelsDirect(c, x, w, dy));
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeError(y, ref.y)).toBeLessThan(1e-5);
      expect(relativeError(dx, ref.dx)).toBeLessThan(1e-5);
      expect(relativeError(dw, ref.dw)).toBeLessThan(1e-5);
    });
  }
});

describe("groupedConv2d 'kernel' on wasm (kernels + gradient)", () => {
  for (const c of cases.filter((k) => k.groups > 1)) {
    it(`matches the reference and 'split' on cpu: ${name(c)}`, async () => {
      const { x, w, dy } = data(c);
      const ref = reference(c, x, w, dy);
      const split = await onBackend('cpu', () => opWithGrads(c, 'split', x, w, dy));
      await setBackend('wasm');
      expect(hasGroupedConvKernel()).toBe(true);
      const before = tf.memory().numTensors;
      const simd = await onBackend('wasm', () => opWithGrads(c, 'kernel', x, w, dy));
      expect(tf.memory().numTensors).toBe(before);
      const expected = [ref.y, ref.dx, ref.dw];
      for (let k = 0; k < 3; k++) {
        expect(relativeError(simd[k], expected[k])).toBeLessThan(1e-5);
        expect(relativeError(simd[k], split[k])).toBeLessThan(1e-5);
      }
    });
  }

  it('reads nothing back through the engine and leaks no tensor', async () => {
    await setBackend('wasm');
    const c = cases[3];
    const { x, w, dy } = data(c);
    const before = tf.memory().numTensors;
    const readbacks = countReadbacks();
    const out = tf.tidy(() => opWithGrads(c, 'kernel', x, w, dy));
    readbacks.stop();
    expect(readbacks.count).toBe(0);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("falls back to 'split' where the backend has no grouped-conv kernel (cpu)", async () => {
    await setBackend('cpu');
    expect(hasGroupedConvKernel()).toBe(false);
    const c = cases[1];
    const { x, w, dy } = data(c);
    const ref = reference(c, x, w, dy);
    const [y] = await onBackend('cpu', () => opWithGrads(c, 'kernel', x, w, dy).slice(0, 1));
    expect(relativeError(y, ref.y)).toBeLessThan(1e-5);
  });
});
