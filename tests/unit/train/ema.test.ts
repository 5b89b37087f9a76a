import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { ModelEma, emaDecay } from '../../../src/train/ema';
import { EMA_UPDATE, hasFusedKernel } from '../../../src/train/update-kernels';
import { TinyDetectionModel } from './tiny-model';

// cpu averages op by op; wasm runs one fused kernel per tensor (src/runtime/wasm-kernels/fused-updates.ts).
describe.each(['cpu', 'wasm'] as const)('ModelEma on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('uses decay 0.9999·(1 − exp(−updates/2000))', () => {
    expect(emaDecay(0)).toBe(0);
    expect(emaDecay(2000)).toBeCloseTo(0.9999 * (1 - Math.exp(-1)), 12);
    expect(emaDecay(1e6)).toBeCloseTo(0.9999, 10);
  });

  it('starts as a copy and then averages parameters and BN buffers of the model', () => {
    expect(hasFusedKernel(EMA_UPDATE)).toBe(backend === 'wasm');
    const model = new TinyDetectionModel({ nc: 2, seed: 1 });
    const twin = new TinyDetectionModel({ nc: 2, seed: 99 });
    const ema = new ModelEma(twin, model);
    const w = model.parameters()[0].variable;
    const mean = model.buffers()[0].variable;
    const before = w.dataSync()[0];
    expect(twin.parameters()[0].variable.dataSync()[0]).toBe(before);

    w.assign(tf.add(w, 1));
    mean.assign(tf.fill(mean.shape, 2));
    ema.update();
    ema.update();
    // Two updates with d1, d2 from a copy: ema = x0 + (1 − d2)·(x1 − x0) after the model moved by 1 once.
    const d2 = emaDecay(2);
    const d1 = emaDecay(1);
    const expectedW = d2 * (d1 * before + (1 - d1) * (before + 1)) + (1 - d2) * (before + 1);
    expect(twin.parameters()[0].variable.dataSync()[0]).toBeCloseTo(expectedW, 5);
    const expectedMean = d2 * (1 - d1) * 2 + (1 - d2) * 2;
    expect(twin.buffers()[0].variable.dataSync()[0]).toBeCloseTo(expectedMean, 5);
    expect(ema.updates).toBe(2);
    model.dispose();
    twin.dispose();
  });
});
