/** Helpers shared by the runtime tests: deterministic data and a tolerance check relative to the reference's scale. */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { setBackend, type BackendName } from '../../../src/runtime/backend';
import { vendoredLavapipeIcd } from '../../../src/runtime/node-host';

/** Whether Node's WebGPU (Dawn) has a Vulkan driver here: the vendored lavapipe (scripts/setup.sh) or the caller's. */
export const hasLavapipe = existsSync(vendoredLavapipeIcd) || Boolean(process.env.VK_ICD_FILENAMES);

/** Deterministic pseudo-random values in [-1, 1) (a small LCG, so references never depend on tf's RNG). */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` on a backend and reads its tensors back as plain arrays (disposing everything it made). */
export async function onBackend(name: BackendName, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await setBackend(name);
  const tensors = tf.tidy(fn);
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return values;
}

/** Runs `fn` on wasm and on cpu and expects every resulting tensor to be identical, element for element. */
export async function expectWasmToEqualCpu(fn: () => tf.Tensor[]): Promise<void> {
  const wasm = await onBackend('wasm', fn);
  const cpu = await onBackend('cpu', fn);
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => expect(Array.from(w), `result ${i}`).toEqual(Array.from(cpu[i])));
}

/** Largest |a - b| divided by the largest |b| (or 1 if b is all tiny). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  if (Number.isNaN(maxDiff)) return Infinity;
  return maxDiff / Math.max(scale, 1e-6);
}
