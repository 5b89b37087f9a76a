/**
 * The multi-tensor SGD and EMA updates and gradient accumulation (one kernel call for every tensor; on webgpu one dispatch over flat copies)
 * against the op-by-op path on the cpu backend: every element of every parameter, momentum and EMA entry after several
 * steps with per-step lrs, three groups and odd tensor sizes. On webgpu also the point of it: one dispatch per update,
 * and no tensor left behind. The webgpu cases run on Dawn over the vendored lavapipe and skip without it.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NamedParameter, ParamGroup } from '../../../src/model/types';
import { setBackend } from '../../../src/runtime/backend';
import { stepCounts } from '../../../src/runtime/dispatch-counter';
import { ModelEma } from '../../../src/train/ema';
import { GroupedSgd } from '../../../src/train/optimizer';
import type { GroupLrs } from '../../../src/train/schedule';
import { GradientAccumulator } from '../../../src/train/accumulate';
import { EMA_MULTI_UPDATE, hasFusedKernel, MULTI_ADD, SGD_NESTEROV_MULTI_UPDATE } from '../../../src/train/update-kernels';
import { hasLavapipe, randomValues, relativeError } from '../runtime/compare';
import { TinyDetectionModel } from './tiny-model';

/** Shapes of the test's parameters: conv weights, BN vectors, biases, one element, odd sizes. */
const SHAPES: [number[], ParamGroup][] = [
  [[3, 3, 3, 8], 1],
  [[8], 0],
  [[8], 2],
  [[1, 1, 8, 13], 1],
  [[13], 0],
  [[1], 2],
  [[3, 3, 13, 5], 1],
  [[5], 2],
];
const STEPS: [GroupLrs, number][] = [
  [[0.0, 0.01, 0.1], 0.8],
  [[0.002, 0.003, 0.08], 0.85],
  [[0.004, 0.004, 0.06], 0.9],
];
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs three SGD steps and returns every parameter and momentum, in order. */
async function sgdRun(): Promise<Float32Array[]> {
  const params: NamedParameter[] = SHAPES.map(([shape, group], i) => ({
    name: `p${i}`,
    variable: tf.variable(tf.tensor(randomValues(size(shape), i + 1), shape)),
    group,
  }));
  const sgd = new GroupedSgd(params, 0.0005 * 8);
  STEPS.forEach(([lrs, momentum], step) => {
    const grads = SHAPES.map(([shape], i) => tf.tensor(randomValues(size(shape), 100 * step + i + 7), shape));
    sgd.step(grads, lrs, momentum);
    tf.dispose(grads);
  });
  const out = await Promise.all([...params.map((p) => p.variable), ...sgd.state().map((s) => s.tensor)].map((t) => t.data() as Promise<Float32Array>));
  sgd.dispose();
  tf.dispose(params.map((p) => p.variable));
  return out;
}

/** Moves the model three times, updating the EMA after each; returns every entry of the twin. */
async function emaRun(): Promise<Float32Array[]> {
  const model = new TinyDetectionModel({ nc: 2, seed: 1 });
  const twin = new TinyDetectionModel({ nc: 2, seed: 99 });
  const ema = new ModelEma(twin, model, 500);
  for (let step = 0; step < 3; step++) {
    for (const [i, { variable }] of [...model.parameters(), ...model.buffers()].entries()) {
      if (variable.dtype === 'float32') variable.assign(tf.add(variable, tf.tensor(randomValues(variable.size, 10 * step + i + 3), variable.shape)));
    }
    ema.update();
  }
  const out = await Promise.all([...twin.parameters(), ...twin.buffers()].map((e) => tf.cast(e.variable, 'float32').data() as Promise<Float32Array>));
  model.dispose();
  twin.dispose();
  return out;
}

/** Accumulates three batches of gradients; returns the sums. */
async function accumulateRun(): Promise<Float32Array[]> {
  const params: NamedParameter[] = SHAPES.map(([shape, group], i) => ({ name: `p${i}`, variable: tf.variable(tf.zeros(shape)), group }));
  const acc = new GradientAccumulator(params);
  for (let step = 0; step < 3; step++) acc.add(SHAPES.map(([shape], i) => tf.tensor(randomValues(size(shape), 50 * step + i + 1), shape)));
  const sums = acc.take();
  const out = await Promise.all(sums.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...sums, ...params.map((p) => p.variable)]);
  return out;
}

async function on<T>(backend: 'cpu' | 'wasm' | 'webgpu', fn: () => Promise<T>): Promise<T> {
  await setBackend(backend);
  return fn();
}

const backends = hasLavapipe ? (['wasm', 'webgpu'] as const) : (['wasm'] as const);

describe.each(backends)('multi-tensor updates on %s', (backend) => {
  it('SGD: every parameter and momentum equals the cpu op-by-op path', async () => {
    const expected = await on('cpu', sgdRun);
    expect(hasFusedKernel(SGD_NESTEROV_MULTI_UPDATE)).toBe(false); // cpu is the op-by-op reference
    const actual = await on(backend, sgdRun);
    expect(hasFusedKernel(SGD_NESTEROV_MULTI_UPDATE)).toBe(true);
    expect(actual).toHaveLength(2 * SHAPES.length);
    actual.forEach((a, i) => expect(relativeError(a, expected[i]), `tensor ${i}`).toBeLessThan(1e-5));
  });

  it('EMA: every float entry of the twin equals the cpu op-by-op path', async () => {
    const expected = await on('cpu', emaRun);
    const actual = await on(backend, emaRun);
    expect(hasFusedKernel(EMA_MULTI_UPDATE)).toBe(true);
    actual.forEach((a, i) => expect(relativeError(a, expected[i]), `entry ${i}`).toBeLessThan(1e-5));
  });

  it('gradient accumulation: every sum equals the cpu op-by-op path, one kernel per added batch', async () => {
    const expected = await on('cpu', accumulateRun);
    const actual = await on(backend, accumulateRun);
    expect(hasFusedKernel(MULTI_ADD)).toBe(true);
    actual.forEach((a, i) => expect(relativeError(a, expected[i]), `sum ${i}`).toBeLessThan(1e-6));
    const params: NamedParameter[] = SHAPES.map(([shape, group], i) => ({ name: `p${i}`, variable: tf.variable(tf.zeros(shape)), group }));
    const acc = new GradientAccumulator(params);
    acc.add(SHAPES.map(([shape]) => tf.ones(shape)));
    const before = tf.memory().numTensors;
    const counts = await stepCounts(() => acc.add(SHAPES.map(([shape]) => tf.ones(shape))));
    expect(counts.kernels_per_step).toBe(1); // tf.ones makes its values on the host: no kernel; then one add for all
    expect(tf.memory().numTensors).toBe(before);
    acc.clear();
    tf.dispose(params.map((p) => p.variable));
  });

  it('runs each update as one kernel (one dispatch on webgpu) and leaves no tensor behind', async () => {
    await setBackend(backend);
    const params: NamedParameter[] = SHAPES.map(([shape, group], i) => ({ name: `p${i}`, variable: tf.variable(tf.ones(shape)), group }));
    const grads = SHAPES.map(([shape]) => tf.ones(shape));
    const sgd = new GroupedSgd(params, 0.01);
    sgd.step(grads, STEPS[0][0], 0.9); // warm-up: compiles the program
    const before = tf.memory().numTensors;
    const counts = await stepCounts(() => sgd.step(grads, STEPS[1][0], 0.9));
    expect(counts.kernels_per_step).toBe(1);
    expect(counts.dispatches_per_step).toBe(1);
    expect(tf.memory().numTensors).toBe(before);

    const model = new TinyDetectionModel({ nc: 2, seed: 1 });
    const twin = new TinyDetectionModel({ nc: 2, seed: 2 });
    const ema = new ModelEma(twin, model);
    ema.update();
    const emaBefore = tf.memory().numTensors;
    const emaCounts = await stepCounts(() => ema.update());
    expect(emaCounts.kernels_per_step).toBe(1);
    expect(emaCounts.dispatches_per_step).toBe(1);
    expect(tf.memory().numTensors).toBe(emaBefore);
    tf.dispose([...grads, ...params.map((p) => p.variable)]);
    sgd.dispose();
    model.dispose();
    twin.dispose();
  });
});
