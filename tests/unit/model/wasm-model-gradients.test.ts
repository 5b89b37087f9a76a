/**
 * The four shipped models' training gradients on wasm, where the step runs our kernels (the dense and grouped convs'
 * direct SIMD kernels, the fused BatchNorm + activation, MaxPool's gradient, the conv layout kernels), against the cpu
 * backend running tfjs' own: one loss on one batch, every parameter's gradient. The per-kernel tests check each kernel
 * alone; this checks that the model wires them as the reference does.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { YAML_MODELS } from '../../../src/bench/subjects';
import { buildModel } from '../../../src/model/index';
import { setBackend } from '../../../src/runtime/backend';
import { LAB_HYP } from '../../../src/train/hyp';
import { forwardWithLoss } from '../../../src/train/loss';
import { makeBatch } from '../train/fixed-batches';

const batch = makeBatch(2, 64, 11);

async function gradients(backend: 'cpu' | 'wasm', yaml: string): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  await setBackend(backend);
  const model = buildModel(yaml, { scale: 'n', nc: 4, seed: 5 });
  const params = model.parameters();
  const { value, grads } = tf.variableGrads(() => forwardWithLoss(model, batch, LAB_HYP, 'train').loss.total, params.map((p) => p.variable));
  const out = new Map(params.map((p) => [p.name, grads[p.variable.name].dataSync() as Float32Array]));
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: out };
}

describe.each(Object.entries(YAML_MODELS))('%s training gradients on wasm', (_, file) => {
  it('equal the cpu backend’s, parameter by parameter', async () => {
    const yaml = readFileSync(`public/models/${file}`, 'utf8');
    const expected = await gradients('cpu', yaml);
    const actual = await gradients('wasm', yaml);
    expect(actual.loss).toBeCloseTo(expected.loss, 4);
    expect([...actual.grads.keys()]).toEqual([...expected.grads.keys()]);
    let worst = { name: '', error: 0 };
    for (const [name, want] of expected.grads) {
      const got = actual.grads.get(name) as Float32Array;
      let diff = 0;
      let scale = 0;
      want.forEach((v, i) => {
        diff = Math.max(diff, Math.abs(got[i] - v));
        scale = Math.max(scale, Math.abs(v));
      });
      const error = diff / Math.max(scale, 1e-8);
      if (error > worst.error) worst = { name, error };
    }
    // float32 sums in another order through ~60 BatchNorms: up to 1.2e-3 here (csp); a 1% error in one BN's dβ fails.
    expect(worst.error, worst.name).toBeLessThan(5e-3);
  }, 120_000);
});
