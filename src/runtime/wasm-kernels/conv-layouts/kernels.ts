/**
 * The conv gradients' layout kernels (assembly/kernels.ts, built into kernels.wasm.ts by
 * scripts/build-wasm-kernels.mjs), instantiated on tfjs' heap (../heap-module.ts). Arguments are byte offsets of tfjs
 * tensors and sizes.
 */
import { heapModule } from '../heap-module';
import { heapMemory, type WasmBackendLike } from '../wasm-backend';
import * as bytes from './kernels.wasm';

export interface ConvLayoutExports {
  patchesFromPlanes(
    x: number, patches: number, n: number, h: number, w: number, ci: number, kh: number, kw: number, oh: number, ow: number,
    sh: number, sw: number, top: number, left: number,
  ): void;
  rotateFilter(w: number, out: number, kh: number, kw: number, ci: number, co: number): void;
  scatterPhase(
    phase: number, dx: number, n: number, ph: number, pw: number, ci: number, h: number, w: number,
    sh: number, sw: number, r: number, q: number, top: number, left: number,
  ): void;
}

export function convLayouts(backend: WasmBackendLike): ConvLayoutExports {
  return heapModule<ConvLayoutExports>(bytes, heapMemory(backend));
}
