/**
 * The kernel threads' work split (src/runtime/wasm-kernels/kernel-threads.ts). The threads themselves need a browser
 * worker with shared memory: tests/e2e/webgpu-smoke.spec.mjs checks the split kernels against cpu there. Here: the
 * ranges, and that Node (no Worker, unshared heap) keeps every kernel on one thread.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { kernelThreadCount, ranges, startKernelThreads } from '../../../src/runtime/wasm-kernels/kernel-threads';
import { asWasmBackend, heapMemory } from '../../../src/runtime/wasm-kernels/wasm-backend';

describe('kernel threads', () => {
  it('ranges cover [0, total) in order, cut on multiples of align, none empty', () => {
    for (const [total, parts, align] of [[4, 2, 1], [5, 2, 1], [1, 4, 1], [1000, 3, 64], [63, 2, 64], [130, 2, 64], [7, 8, 1]]) {
      const runs = ranges(total, parts, align);
      expect(runs.length).toBeLessThanOrEqual(parts);
      let next = 0;
      for (const { first, count } of runs) {
        expect(first).toBe(next);
        expect(count).toBeGreaterThan(0);
        if (first + count < total) expect((first + count) % align).toBe(0);
        next = first + count;
      }
      expect(next).toBe(total);
    }
    expect(ranges(4, 2)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 2 }]);
    expect(ranges(130, 2, 64)).toEqual([{ first: 0, count: 64 }, { first: 64, count: 66 }]);
  });

  it('in Node there are none: the heap is not shared and there is no Worker', async () => {
    await setBackend('wasm');
    const memory = heapMemory(asWasmBackend(tf.backend()));
    expect(await startKernelThreads(memory, [], 4)).toBe(1);
    expect(kernelThreadCount(memory, 1e9, 0)).toBe(1);
  });
});
