/**
 * The 'kernel' grouped conv on webgpu (our WGSL programs, src/runtime/webgpu-kernels/grouped-conv) against the
 * 'split' strategy on the cpu backend: forward, input gradient and filter gradient through the model's op and
 * tf.valueAndGrads, over strides 1 and 2, symmetric and asymmetric padding, 1 to 8 channels per group, groups 1, 2
 * and 32, batch 1 and 2, odd sizes; and the dispatch count that is the point of the kernel. Runs on Dawn over the
 * lavapipe that scripts/setup.sh vendors (a software adapter, so the shapes are small); a checkout without it skips
 * this file, as backend.test.ts skips its webgpu cases.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { describe, expect, it } from 'vitest';
import { groupedConv2d, hasGroupedConvKernel, type GroupedConvStrategy, type Padding } from '../../../src/model/modules/grouped-conv';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  groupedConvOutputShape,
  type GroupedConvAttrs,
} from '../../../src/model/modules/grouped-conv-kernel';
import { setBackend } from '../../../src/runtime/backend';
import type { GroupedConvGeometry } from '../../../src/runtime/wasm-kernels/grouped-conv/kernels';
import { hasLavapipe, onBackend, randomValues, relativeError } from './compare';

/** A test shape: a 3x3 grouped conv's geometry. */
type Case = Omit<GroupedConvGeometry, 'kh' | 'kw'>;

const p1: Case['pad'] = [1, 1, 1, 1];
const cases: Case[] = [
  { n: 1, h: 7, w: 9, groups: 32, cig: 1, cog: 1, stride: 1, pad: p1 }, // ResNeXt scale n, stage 1
  { n: 2, h: 9, w: 7, groups: 32, cig: 1, cog: 1, stride: 2, pad: p1 },
  { n: 1, h: 5, w: 7, groups: 32, cig: 3, cog: 3, stride: 1, pad: p1 }, // scale m, stage 1
  { n: 2, h: 5, w: 5, groups: 32, cig: 4, cog: 4, stride: 2, pad: p1 }, // scale l, stage 1 (strided block)
  { n: 1, h: 7, w: 5, groups: 2, cig: 8, cog: 8, stride: 2, pad: p1 },
  { n: 2, h: 7, w: 7, groups: 2, cig: 3, cog: 4, stride: 1, pad: [1, 0, 0, 1] }, // asymmetric
  { n: 1, h: 9, w: 9, groups: 2, cig: 4, cog: 3, stride: 2, pad: [0, 1, 1, 0] }, // asymmetric, strided
  { n: 2, h: 6, w: 5, groups: 2, cig: 8, cog: 2, stride: 2, pad: [1, 0, 1, 0] }, // even size, last row/column unused
  { n: 1, h: 5, w: 5, groups: 2, cig: 2, cog: 4, stride: 1, pad: [0, 0, 0, 0] },
  { n: 2, h: 7, w: 6, groups: 2, cig: 5, cog: 17, stride: 2, pad: [1, 0, 1, 1] }, // ≥ 16 per group: the tiled dW
  { n: 1, h: 9, w: 8, groups: 4, cig: 8, cog: 40, stride: 1, pad: p1 }, // tiled dW over two column tiles
];
/** groups = 1 never reaches the kernel through the op (it runs tf.conv2d), so these call the kernels directly. */
const denseCases: Case[] = [
  { n: 2, h: 7, w: 7, groups: 1, cig: 3, cog: 4, stride: 2, pad: p1 },
  { n: 1, h: 5, w: 9, groups: 1, cig: 8, cog: 1, stride: 1, pad: [0, 1, 1, 0] },
  { n: 2, h: 6, w: 7, groups: 1, cig: 3, cog: 33, stride: 2, pad: [0, 1, 0, 1] }, // the tiled dW, partial column tile
];

const name = (c: Case) =>
  `n${c.n} ${c.h}x${c.w} groups ${c.groups} cin/g ${c.cig} cout/g ${c.cog} stride ${c.stride} pad ${c.pad.join(',')}`;

const attrsOf = (c: Case): GroupedConvAttrs => ({ stride: c.stride, pad: c.pad, groups: c.groups });
const xShapeOf = (c: Case) => [c.n, c.h, c.w, c.groups * c.cig];
const wShapeOf = (c: Case) => [3, 3, c.cig, c.groups * c.cog];
const yShapeOf = (c: Case) => groupedConvOutputShape(xShapeOf(c), wShapeOf(c), attrsOf(c));

function data(c: Case) {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  return {
    x: randomValues(size(xShapeOf(c)), 1),
    w: randomValues(size(wShapeOf(c)), 2),
    dy: randomValues(size(yShapeOf(c)), 3),
  };
}

function explicitPadding(c: Case): Padding {
  return [
    [0, 0],
    [c.pad[0], c.pad[1]],
    [c.pad[2], c.pad[3]],
    [0, 0],
  ];
}

/** y, dx, dW through the model's op and tf.valueAndGrads, with dy as the incoming gradient (so only the op's kernels run). */
function opWithGrads(c: Case, strategy: GroupedConvStrategy, x: Float32Array, w: Float32Array, dy: Float32Array): tf.Tensor[] {
  const conv = (xi: tf.Tensor, wi: tf.Tensor): tf.Tensor =>
    groupedConv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, explicitPadding(c), c.groups, strategy);
  const xt = tf.tensor(x, xShapeOf(c));
  const wt = tf.tensor(w, wShapeOf(c));
  const { value, grads } = tf.valueAndGrads(conv)([xt, wt], tf.tensor(dy, yShapeOf(c)));
  return [value, ...grads];
}

/** The three kernels called directly, as the op's gradient calls them. */
function kernelsDirect(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array): tf.Tensor[] {
  const run = (kernel: string, inputs: tf.NamedTensorMap, extra: Partial<GroupedConvAttrs> = {}) =>
    tf.engine().runKernel(kernel, inputs, { ...attrsOf(c), ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const xt = tf.tensor(x, xShapeOf(c));
  const wt = tf.tensor(w, wShapeOf(c));
  const dyt = tf.tensor(dy, yShapeOf(c));
  return [
    run(GROUPED_CONV2D, { x: xt, filter: wt }),
    run(GROUPED_CONV2D_BACKPROP_INPUT, { dy: dyt, filter: wt }, { inputShape: xt.shape }),
    run(GROUPED_CONV2D_BACKPROP_FILTER, { x: xt, dy: dyt }, { filterShape: wt.shape }),
  ];
}

/** tfjs' dense conv and its gradients on cpu: the reference for groups = 1. */
function denseWithGrads(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array): tf.Tensor[] {
  const conv = (xi: tf.Tensor, wi: tf.Tensor): tf.Tensor => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, explicitPadding(c));
  const xt = tf.tensor(x, xShapeOf(c));
  const wt = tf.tensor(w, wShapeOf(c));
  const { value, grads } = tf.valueAndGrads(conv)([xt, wt], tf.tensor(dy, yShapeOf(c)));
  return [value, ...grads];
}

function expectClose(actual: Float32Array[], expected: Float32Array[]) {
  for (let k = 0; k < 3; k++) expect(relativeError(actual[k], expected[k]), ['y', 'dx', 'dW'][k]).toBeLessThan(1e-5);
}

/** Calls to the webgpu backend's runWebGPUProgram (one per dispatch) while `fn` runs, and the tensors it returns. */
function countDispatches(fn: () => tf.Tensor[]): { dispatches: number; out: tf.Tensor[] } {
  const backend = tf.backend() as WebGPUBackend;
  const original = backend.runWebGPUProgram;
  let dispatches = 0;
  backend.runWebGPUProgram = function (this: WebGPUBackend, ...args: Parameters<WebGPUBackend['runWebGPUProgram']>) {
    dispatches++;
    return original.apply(this, args);
  };
  try {
    const out = tf.tidy(fn);
    return { dispatches, out };
  } finally {
    backend.runWebGPUProgram = original;
  }
}

describe.runIf(hasLavapipe)("groupedConv2d 'kernel' on webgpu (WGSL programs + gradient)", () => {
  for (const c of cases) {
    it(`matches 'split' on cpu: ${name(c)}`, async () => {
      const { x, w, dy } = data(c);
      const split = await onBackend('cpu', () => opWithGrads(c, 'split', x, w, dy));
      await setBackend('webgpu');
      expect(hasGroupedConvKernel()).toBe(true);
      const before = tf.memory().numTensors;
      const gpu = await onBackend('webgpu', () => opWithGrads(c, 'kernel', x, w, dy));
      expect(tf.memory().numTensors).toBe(before);
      expectClose(gpu, split);
    });
  }

  for (const c of denseCases) {
    it(`kernels called directly match tfjs' dense conv on cpu: ${name(c)}`, async () => {
      const { x, w, dy } = data(c);
      const dense = await onBackend('cpu', () => denseWithGrads(c, x, w, dy));
      const gpu = await onBackend('webgpu', () => kernelsDirect(c, x, w, dy));
      expectClose(gpu, dense);
    });
  }

  it("runs 3 dispatches per forward + backward where 'split' runs over a hundred, and leaks no tensor", async () => {
    await setBackend('webgpu');
    const c = cases[3];
    const { x, w, dy } = data(c);
    const before = tf.memory().numTensors;
    const kernel = countDispatches(() => opWithGrads(c, 'kernel', x, w, dy));
    const split = countDispatches(() => opWithGrads(c, 'split', x, w, dy));
    tf.dispose([...kernel.out, ...split.out]);
    expect(tf.memory().numTensors).toBe(before);
    expect(kernel.dispatches).toBe(3); // forward, dx, dW
    expect(split.dispatches).toBeGreaterThan(100); // 32 convs per pass, plus slices, concats, im2col
  });

  it("falls back to 'split' where the backend has no grouped-conv kernel (cpu)", async () => {
    await setBackend('cpu');
    expect(hasGroupedConvKernel()).toBe(false);
    const c = cases[1];
    const { x, w, dy } = data(c);
    const split = await onBackend('cpu', () => opWithGrads(c, 'split', x, w, dy));
    const fallback = await onBackend('cpu', () => opWithGrads(c, 'kernel', x, w, dy));
    expectClose(fallback, split);
  });
});
