/**
 * Holds the webgpu dispatch count of the e2e smoke net's train step (tests/e2e/fixtures/webgpu-smoke/smoke-net.ts) at
 * or under a fixed number: a count, never a timing, so a change that adds dispatches to training fails here. Also the
 * counter's own contract (on wasm a dispatch is a kernel call) and flat tensor counts over steps. Runs on Dawn over the
 * vendored lavapipe; a checkout without it skips the webgpu cases, as backend.test.ts does.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { stepCounts, writeBufferBytes } from '../../../src/runtime/dispatch-counter';
import { createSmokeNet } from '../../e2e/fixtures/webgpu-smoke/smoke-net';
import { hasLavapipe } from './compare';

/** The smoke net's step measured 93 dispatches (117 kernels; 4 of them the fused BN + ReLU) on lavapipe when this limit was set; lower it when a change saves some. */
const SMOKE_STEP_DISPATCH_LIMIT = 93;

/** Counts one smoke-net step after `warmup` steps; returns the counts and the tensor counts after each step. */
async function countSmokeStep(warmup: number) {
  const net = createSmokeNet();
  const tensors: number[] = [];
  const runStep = async () => {
    const loss = net.step();
    await loss.data();
    loss.dispose();
    tensors.push(tf.memory().numTensors);
  };
  try {
    for (let i = 0; i < warmup; i++) await runStep();
    const counts = await stepCounts(runStep);
    await runStep();
    return { counts, tensors };
  } finally {
    net.dispose();
  }
}

describe('writeBufferBytes', () => {
  it('counts typed-array elements and ArrayBuffer bytes as WebGPU does', () => {
    const buffer = {} as unknown;
    expect(writeBufferBytes([buffer, 0, new Float32Array(10)])).toBe(40);
    expect(writeBufferBytes([buffer, 0, new Float32Array(10), 2])).toBe(32);
    expect(writeBufferBytes([buffer, 0, new Int32Array(10), 2, 3])).toBe(12);
    expect(writeBufferBytes([buffer, 0, new ArrayBuffer(24), 4])).toBe(20);
    expect(writeBufferBytes([buffer, 0, new ArrayBuffer(24), 4, 8])).toBe(8);
  });
});

describe('step counts on wasm', () => {
  it('counts kernel calls as dispatches and no uploads', async () => {
    await setBackend('wasm');
    const { counts, tensors } = await countSmokeStep(1);
    expect(counts.dispatches_per_step).toBe(counts.kernels_per_step);
    expect(counts.kernels_per_step).toBeGreaterThan(20); // three convs with their gradients and Adam: dozens of kernels
    expect(counts.upload_bytes_per_step).toBeNull();
    expect(new Set(tensors).size).toBe(1);
  });
});

describe.skipIf(!hasLavapipe)('smoke net train step on webgpu (Dawn/lavapipe)', () => {
  it(`runs in at most ${SMOKE_STEP_DISPATCH_LIMIT} dispatches, with flat tensor counts`, async () => {
    await setBackend('webgpu');
    const first = await countSmokeStep(1);
    const second = await countSmokeStep(1);
    console.log(`[dispatch-count] smoke net on webgpu: ${JSON.stringify(first.counts)}`);
    expect(second.counts).toEqual(first.counts); // deterministic
    expect(first.counts.dispatches_per_step).toBeGreaterThan(0);
    expect(first.counts.dispatches_per_step).toBeLessThanOrEqual(SMOKE_STEP_DISPATCH_LIMIT);
    expect(first.counts.upload_bytes_per_step).toBeGreaterThan(0);
    expect(new Set(first.tensors).size).toBe(1);
  }, 120_000);
});
