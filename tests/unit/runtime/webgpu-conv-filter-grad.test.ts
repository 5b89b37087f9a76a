/**
 * The tiled filter gradient that replaces tfjs' Conv2DBackpropFilter on webgpu (src/runtime/webgpu-kernels/
 * tiled-conv) against tfjs' cpu kernel: shapes that cross the 32×32 tile and the 16-deep K step at their edges,
 * 1×1, 3×3 and 7×7 filters, strides 1 and 2, 'same', 'valid' and explicit asymmetric padding, batch 1 to 3. Runs on
 * Dawn over the vendored lavapipe (skipped without it, as the other webgpu tests).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { hasLavapipe, onBackend, randomValues, relativeError } from './compare';

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
}

const cases: Case[] = [
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { x: [1, 16, 16, 40], filter: [3, 3, 40, 33], stride: 2, pad: 'same' }, // M = 360, N = 33: partial tiles both ways
  { x: [3, 8, 8, 64], filter: [1, 1, 64, 70], stride: 1, pad: 'valid' }, // a ResNet 1×1
  { x: [2, 17, 13, 3], filter: [7, 7, 3, 16], stride: 2, pad: 'same' }, // the ResNet stem, odd sizes
  { x: [1, 10, 9, 6], filter: [3, 3, 6, 4], stride: 2, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
  { x: [2, 5, 5, 33], filter: [3, 3, 33, 31], stride: 1, pad: 'valid' }, // K = 18: one full and one partial K step
];

const name = (c: Case) => `x ${c.x.join('×')} filter ${c.filter.join('×')} stride ${c.stride} pad ${JSON.stringify(c.pad)}`;

function filterGrad(c: Case, x: Float32Array, dy: Float32Array, dyShape: number[]): tf.Tensor[] {
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } as unknown as tf.NamedAttrMap;
  return [tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: tf.tensor4d(x, c.x), dy: tf.tensor(dy, dyShape) }, attrs) as tf.Tensor];
}

/** The shader keys of the webgpu programs `fn` dispatches. */
function programsRun(fn: () => tf.Tensor[]): string[] {
  const backend = tf.backend() as WebGPUBackend;
  const original = backend.runWebGPUProgram;
  const keys: string[] = [];
  backend.runWebGPUProgram = function (this: WebGPUBackend, program, ...rest) {
    keys.push(program.shaderKey);
    return original.call(this, program, ...rest);
  };
  try {
    tf.dispose(tf.tidy(fn));
    return keys;
  } finally {
    backend.runWebGPUProgram = original;
  }
}

describe.runIf(hasLavapipe)('tiled Conv2DBackpropFilter on webgpu', () => {
  for (const c of cases) {
    it(`matches tfjs' cpu kernel: ${name(c)}`, async () => {
      const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
      const dyShape = [c.x[0], info.outHeight, info.outWidth, c.filter[3]];
      const x = randomValues(c.x.reduce((a, b) => a * b, 1), 11);
      const dy = randomValues(dyShape.reduce((a, b) => a * b, 1), 12);
      const [expected] = await onBackend('cpu', () => filterGrad(c, x, dy, dyShape));
      await setBackend('webgpu');
      const before = tf.memory().numTensors;
      const [actual] = await onBackend('webgpu', () => filterGrad(c, x, dy, dyShape));
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      // One dispatch: ours from 16 output channels, tfjs' below (a tile would be mostly padding).
      expect(programsRun(() => filterGrad(c, x, dy, dyShape))).toEqual([c.filter[3] >= 16 ? 'labTiledConvFilterGrad' : 'conv2DDerFilter_true']);
    });
  }

  it('is the kernel tf.conv2d gradients run on webgpu: the weight gradient of a conv equals cpu', async () => {
    const c = cases[1];
    const x = randomValues(c.x.reduce((a, b) => a * b, 1), 21);
    const w = randomValues(c.filter.reduce((a, b) => a * b, 1), 22);
    const grad = () => [tf.grad((wt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(x, c.x), wt as tf.Tensor4D, c.stride, 'same'))))(tf.tensor4d(w, c.filter))];
    const [expected] = await onBackend('cpu', grad);
    const [actual] = await onBackend('webgpu', grad);
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
  });
});
