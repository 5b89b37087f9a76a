/** The hand-built ops: grouped convolution (both strategies), ×2 nearest upsampling, Mish. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { groupedConv2d, symmetricPadding } from '../../../src/model/modules/grouped-conv';
import { mish, upsampleNearest } from '../../../src/model/modules/leaves';

/** Dense reference: a block-diagonal [kh, kw, in, out] filter with zeros between groups, then one plain conv. */
function denseReference(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, pad: number, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, inPerGroup, out] = filter.shape;
    const outPerGroup = out / groups;
    const blocks = tf.split(filter, groups, 3).map((block, g) =>
      tf.pad(block, [[0, 0], [0, 0], [g * inPerGroup, (groups - 1 - g) * inPerGroup], [0, 0]]),
    );
    const dense = tf.concat(blocks, 3) as tf.Tensor4D;
    expect(dense.shape).toEqual([kh, kw, inPerGroup * groups, outPerGroup * groups]);
    return tf.conv2d(x, dense, stride, symmetricPadding(pad));
  });
}

describe('grouped convolution', () => {
  const x = tf.randomNormal([2, 7, 7, 8], 0, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, 2, 12], 0, 1, 'float32', 2) as tf.Tensor4D; // 4 groups: 2 in → 3 out each

  it.each(['split', 'depthwise'] as const)('%s equals the dense block-diagonal conv, values and gradients', async (strategy) => {
    for (const stride of [1, 2]) {
      const expected = denseReference(x, filter, stride, 1, 4);
      const actual = groupedConv2d(x, filter, stride, symmetricPadding(1), 4, strategy);
      expect(actual.shape).toEqual(expected.shape);
      expect((await tf.max(tf.abs(tf.sub(actual, expected))).data())[0]).toBeLessThan(1e-4);
      const r = tf.randomNormal(expected.shape, 0, 1, 'float32', 3);
      const gradOf = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), r)))([x, filter]);
      const [dxRef, dwRef] = gradOf((a, b) => denseReference(a, b, stride, 1, 4));
      const [dx, dw] = gradOf((a, b) => groupedConv2d(a, b, stride, symmetricPadding(1), 4, strategy));
      expect((await tf.max(tf.abs(tf.sub(dx, dxRef))).data())[0]).toBeLessThan(1e-4);
      expect((await tf.max(tf.abs(tf.sub(dw, dwRef))).data())[0]).toBeLessThan(1e-4);
      tf.dispose([expected, actual, r, dxRef, dwRef, dx, dw]);
    }
  });
});

describe('nearest ×2 upsampling', () => {
  it('equals resizeNearestNeighbor and its gradient sums each 2×2 block, at batch 2', async () => {
    const x = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 4) as tf.Tensor4D;
    const y = upsampleNearest(x, 2);
    const reference = tf.image.resizeNearestNeighbor(x, [6, 8]);
    expect(await y.data()).toEqual(await reference.data());
    const r = tf.randomNormal([2, 6, 8, 5], 0, 1, 'float32', 5);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(upsampleNearest(t as tf.Tensor4D, 2), r)))(x);
    const rv = await r.data();
    const expected = new Float32Array(2 * 3 * 4 * 5);
    for (let n = 0; n < 2; n++)
      for (let h = 0; h < 6; h++)
        for (let w = 0; w < 8; w++)
          for (let c = 0; c < 5; c++) expected[((n * 3 + (h >> 1)) * 4 + (w >> 1)) * 5 + c] += rv[((n * 6 + h) * 8 + w) * 5 + c];
    const got = await dx.data();
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    tf.dispose([x, y, reference, r, dx]);
  });
});

describe('Mish', () => {
  it('is x·tanh(softplus(x))', async () => {
    const values = [-20, -3, -0.5, 0, 0.5, 3, 20];
    const got = await mish(tf.tensor4d(values, [1, 1, 7, 1])).data();
    values.forEach((v, i) => expect(got[i]).toBeCloseTo(v * Math.tanh(Math.log1p(Math.exp(v))), 5));
  });
});
