/**
 * PyTorch parity: tiny configs of all four families, with weights, inputs and float64 reference outputs written by
 * scripts/parity/make_fixtures.py (torch 1.13). Eval-mode outputs and the BN running stats after one train-mode
 * forward must match within 1e-4 relative. Train-mode outputs get 2e-3: batch statistics over 2×2 maps at batch 2
 * are ill-conditioned in float32 (PyTorch's own float32 run is up to 7e-4 off the float64 reference there).
 * Train-mode gradients of every parameter are compared too.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/model';
import { decodeSafetensors, type SafeTensor } from '../../../src/model/safetensors';
import { loadSafetensors } from '../../../src/model/weights';
import { setBackend } from '../../../src/runtime/backend';
import { FAMILIES, PARITY_DIR, relativeError } from './helpers';

const TOLERANCE = 1e-4;
const TRAIN_OUTPUT_TOLERANCE = 2e-3;
/** Worst tensor, max |Δ| / max |reference|; PyTorch's own float32 gradients are up to 7.5e-3 off the float64 ones. */
const GRADIENT_TOLERANCE = 1e-2;

const read = (file: string) => new Uint8Array(readFileSync(new URL(file, PARITY_DIR)));
const toTensor = (t: SafeTensor) => tf.tensor(t.data as Float32Array, t.shape, 'float32');

// The cpu reference backend, with the runtime's gradient fixes (ceil-mode MaxPool in SE-ResNet's stem).
beforeAll(() => setBackend('cpu'));

describe.each(FAMILIES)('%s matches PyTorch', (family) => {
  const yaml = readFileSync(new URL(`${family}.yaml`, PARITY_DIR), 'utf8');
  const weights = read(`${family}.weights.safetensors`);
  const io = decodeSafetensors(read(`${family}.io.safetensors`));

  it('loads the PyTorch state_dict and counts the same parameters', () => {
    const model = buildModel(yaml);
    loadSafetensors(model, weights);
    const file = decodeSafetensors(weights);
    const fileParams = model.parameters().reduce((sum, p) => sum + file[p.name].data.byteLength / 4, 0);
    expect(model.summary().parameters).toBe(fileParams);
    expect(model.summary().parameters).toBeGreaterThan(30_000);
    model.dispose();
  });

  it.each(['eval', 'train'] as const)('%s-mode outputs and running stats', async (mode) => {
    const model = buildModel(yaml);
    loadSafetensors(model, weights);
    const images = tf.tidy(() => tf.transpose(toTensor(io.images), [0, 2, 3, 1])) as tf.Tensor4D;
    const outputs = model.forward(images, mode);
    for (const [level, output] of outputs.entries()) {
      const expected = toTensor(io[`${mode}.p${level + 3}`]);
      expect(output.shape).toEqual(expected.shape);
      expect(await relativeError(output, expected), `${mode}.p${level + 3}`).toBeLessThan(mode === 'eval' ? TOLERANCE : TRAIN_OUTPUT_TOLERANCE);
      expected.dispose();
    }
    if (mode === 'train') {
      const buffers = model.buffers();
      expect(buffers.length).toBeGreaterThan(0);
      for (const { name, variable } of buffers) {
        const expected = toTensor(io[`train.${name}`]);
        expect(await relativeError(variable, expected), name).toBeLessThan(TOLERANCE);
        expected.dispose();
      }
    }
    tf.dispose([images, ...outputs]);
    model.dispose();
  });

  it('train-mode gradients of every parameter', async () => {
    const model = buildModel(yaml);
    loadSafetensors(model, weights);
    const images = tf.tidy(() => tf.transpose(toTensor(io.images), [0, 2, 3, 1])) as tf.Tensor4D;
    const probes = [3, 4, 5].map((level) => toTensor(io[`grad.r${level}`]));
    const params = model.parameters();
    const { value, grads } = tf.variableGrads(
      () => tf.addN(model.forward(images, 'train').map((p, l) => tf.sum(tf.mul(p, probes[l])))) as tf.Scalar,
      params.map((p) => p.variable),
    );
    const worst = { name: '', error: 0 };
    for (const { name, variable } of params) {
      const expected = io[`grad.${name}`];
      expect(expected, name).toBeDefined();
      const reference = toTensor(expected);
      const actual = variable.rank === 4 ? tf.transpose(grads[variable.name], [3, 2, 0, 1]) : grads[variable.name];
      const error = await relativeError(actual, reference);
      if (error > worst.error) Object.assign(worst, { name, error });
      tf.dispose([reference, actual]);
    }
    expect(worst.error, worst.name).toBeLessThan(GRADIENT_TOLERANCE);
    tf.dispose([value, images, ...probes, ...Object.values(grads)]);
    model.dispose();
  });
});
