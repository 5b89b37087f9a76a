/**
 * Our modules that run on tfjs' heap (src/runtime/wasm-kernels/heap-module.ts) come in two builds: plain memory for
 * tfjs' single-threaded module (what Node runs) and shared memory for its threaded one (the page's). Node never
 * loads tfjs' threaded build, so here each build links to a memory of its own kind, standing in for tfjs' heap, and
 * computes the same values; the plain build is also refused by a shared memory and vice versa, which is why the
 * loader picks by the memory's kind.
 */
import { describe, expect, it } from 'vitest';
import * as batchNormAct from '../../../src/runtime/wasm-kernels/batch-norm-act/kernels.wasm';
import * as convLayouts from '../../../src/runtime/wasm-kernels/conv-layouts/kernels.wasm';
import * as fusedUpdates from '../../../src/runtime/wasm-kernels/fused-updates/kernels.wasm';
import * as maxPoolGrad from '../../../src/runtime/wasm-kernels/max-pool-grad/kernels.wasm';
import { heapModule, type HeapModuleBytes } from '../../../src/runtime/wasm-kernels/heap-module';
import { randomValues } from './compare';

const MODULES: [string, HeapModuleBytes][] = [
  ['batch-norm-act', batchNormAct],
  ['conv-layouts', convLayouts],
  ['fused-updates', fusedUpdates],
  ['max-pool-grad', maxPoolGrad],
];

const plainMemory = () => new WebAssembly.Memory({ initial: 4 });
const sharedMemory = () => new WebAssembly.Memory({ initial: 4, maximum: 65536, shared: true });

interface UpdateExports {
  sgdNesterov(p: number, v: number, g: number, pOut: number, vOut: number, count: number, lr: number, mu: number, wd: number): void;
}

/** p', v' of one SGD step over 103 values (25 vectors and a 3-value tail) computed in `memory` by the module. */
function sgdIn(memory: WebAssembly.Memory): Float32Array {
  const count = 103;
  const heap = new Float32Array(memory.buffer);
  const [p, v, g, pOut, vOut] = [0, 1, 2, 3, 4].map((k) => 1024 + k * 512); // byte offsets
  heap.set(randomValues(count, 1), p / 4);
  heap.set(randomValues(count, 2), v / 4);
  heap.set(randomValues(count, 3), g / 4);
  heapModule<UpdateExports>(fusedUpdates, memory).sgdNesterov(p, v, g, pOut, vOut, count, 0.01, 0.937, 5e-4);
  return Float32Array.from([...heap.subarray(pOut / 4, pOut / 4 + count), ...heap.subarray(vOut / 4, vOut / 4 + count)]);
}

describe('wasm modules on tfjs heap', () => {
  it.each(MODULES)('%s: each build links only to its kind of memory', (_, bytes) => {
    const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const link = (b64: string, memory: WebAssembly.Memory) => new WebAssembly.Instance(new WebAssembly.Module(decode(b64)), { env: { memory } });
    expect(() => link(bytes.wasmBase64, plainMemory())).not.toThrow();
    expect(() => link(bytes.sharedWasmBase64, sharedMemory())).not.toThrow();
    expect(() => link(bytes.wasmBase64, sharedMemory())).toThrow(WebAssembly.LinkError);
    expect(() => link(bytes.sharedWasmBase64, plainMemory())).toThrow(WebAssembly.LinkError);
    // The loader chooses the build that links.
    expect(() => heapModule(bytes, plainMemory())).not.toThrow();
    expect(() => heapModule(bytes, sharedMemory())).not.toThrow();
  });

  it('the shared build computes what the plain build does (an SGD step)', () => {
    const plain = sgdIn(plainMemory());
    const shared = sgdIn(sharedMemory());
    expect(Array.from(shared)).toEqual(Array.from(plain));
    // And what the formula gives, to float32 rounding.
    const [p, v, g] = [1, 2, 3].map((seed) => randomValues(103, seed));
    for (let i = 0; i < 103; i++) {
      const d = g[i] + 5e-4 * p[i];
      const vi = 0.937 * v[i] + d;
      expect(plain[103 + i]).toBeCloseTo(vi, 5);
      expect(plain[i]).toBeCloseTo(p[i] - 0.01 * (d + 0.937 * vi), 5);
    }
  });
});
