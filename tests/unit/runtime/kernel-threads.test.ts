/**
 * The kernel threads' work split (src/runtime/wasm-kernels/kernel-threads.ts). The threads themselves need a browser
 * worker with shared memory: tests/e2e/webgpu-smoke.spec.mjs checks the split kernels against cpu there. Here: the
 * ranges, and that Node (no Worker, unshared heap) keeps every kernel on one thread.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { balancedRanges, kernelThreadCount, ranges, startKernelThreads } from '../../../src/runtime/wasm-kernels/kernel-threads';
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

  it('in Node there are none: this is no worker and its heap is not shared', async () => {
    await setBackend('wasm');
    const memory = heapMemory(asWasmBackend(tf.backend()));
    expect(await startKernelThreads(memory, [], 4)).toEqual({ threads: 1 });
    expect(kernelThreadCount(memory, 1e9, 0)).toBe(1);
  });

  it('where threads should start but cannot, says why and keeps one thread', async () => {
    // A worker scope whose Worker fails to load, as a browser blocking the nested worker script would.
    const scope = globalThis as Record<string, unknown>;
    let terminated = 0;
    scope.WorkerGlobalScope = class {};
    scope.Worker = class {
      onerror?: (e: { message: string }) => void;
      constructor() {
        setTimeout(() => this.onerror?.({ message: 'blocked by policy' }), 0);
      }
      postMessage() {}
      terminate() {
        terminated++;
      }
    };
    try {
      const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      expect(await startKernelThreads(shared, [], 3)).toEqual({ threads: 1, problem: 'blocked by policy' });
      expect(terminated).toBe(1);
      expect(kernelThreadCount(shared, 1e9, 0)).toBe(1);
      const unshared = await startKernelThreads(new WebAssembly.Memory({ initial: 1 }), [], 2);
      expect(unshared.threads).toBe(1);
      expect(unshared.problem).toMatch(/not shared .*cross-origin isolated/);
    } finally {
      delete scope.WorkerGlobalScope;
      delete scope.Worker;
    }
  });
});

describe('balancedRanges', () => {
  it('splits items into contiguous runs of about equal size, every item once', () => {
    const sizes = [100, 1, 1, 50, 50, 3, 200, 5, 90];
    for (const parts of [1, 2, 3, 4, 20]) {
      const runs = balancedRanges(sizes, parts);
      expect(runs.length).toBeLessThanOrEqual(parts);
      expect(runs.map((r) => r.first)).toEqual(runs.map((_, i) => (i === 0 ? 0 : runs[i - 1].first + runs[i - 1].count)));
      expect(runs.reduce((n, r) => n + r.count, 0)).toBe(sizes.length);
      expect(runs.every((r) => r.count > 0)).toBe(true);
    }
    // Two parts of a 500-value total: the cut nearest 250 is before the 200 (205 | 295), not after it (405 | 95).
    expect(balancedRanges(sizes, 2)).toEqual([{ first: 0, count: 6 }, { first: 6, count: 3 }]);
    expect(balancedRanges([10, 10, 10, 10], 2)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 2 }]);
    expect(balancedRanges([], 3)).toEqual([]);
  });
});
