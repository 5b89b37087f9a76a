/**
 * Which kernel a dense conv runs on wasm (src/model/modules/grouped-conv.ts): our direct kernel in training where it
 * pays (small filters; bigger ones only on small outputs; never past 8M floats of input or output), XNNPACK's Conv2D
 * in eval and elsewhere, and always tfjs' conv on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { groupedConv2d, symmetricPadding } from '../../../src/model/modules/grouped-conv';
import { setBackend } from '../../../src/runtime/backend';

type Shape4 = [number, number, number, number];

async function kernelOf(x: Shape4, filter: Shape4, training: boolean): Promise<string> {
  const xs = tf.zeros(x) as tf.Tensor4D;
  const w = tf.zeros(filter) as tf.Tensor4D;
  const profile = await tf.profile(() => groupedConv2d(xs, w, 1, symmetricPadding((filter[0] - 1) / 2), 1, 'kernel', training));
  tf.dispose([xs, w, profile.result as tf.Tensor]);
  return profile.kernelNames.filter((name) => /Conv2D/.test(name)).join(',');
}

describe('dense conv routing', () => {
  it('on wasm: our kernel in training where it pays, XNNPACK otherwise', async () => {
    await setBackend('wasm');
    expect(await kernelOf([4, 16, 16, 64], [3, 3, 64, 64], true)).toBe('LabGroupedConv2D'); // 37k weights
    expect(await kernelOf([4, 16, 16, 64], [3, 3, 64, 64], false)).toBe('Conv2D'); // eval: XNNPACK keeps its packing
    expect(await kernelOf([4, 4, 4, 128], [3, 3, 128, 256], true)).toBe('LabGroupedConv2D'); // 295k weights, 64 outputs
    expect(await kernelOf([4, 16, 16, 128], [3, 3, 128, 256], true)).toBe('Conv2D'); // 295k weights, 1,024 outputs
    expect(await kernelOf([2, 8, 8, 512], [3, 3, 512, 512], true)).toBe('Conv2D'); // 2.4M weights
    expect(await kernelOf([5, 256, 256, 32], [1, 1, 32, 32], true)).toBe('Conv2D'); // input over 8M floats
  });

  it('on cpu: tfjs’ conv', async () => {
    await setBackend('cpu');
    expect(await kernelOf([2, 8, 8, 16], [3, 3, 16, 16], true)).toBe('Conv2D');
  });
});
