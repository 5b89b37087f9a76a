/**
 * The BatchNorm + activation SIMD kernels (assembly/kernels.ts, built into kernels.wasm.ts by
 * scripts/build-wasm-kernels.mjs), instantiated on tfjs' heap (../heap-module.ts).
 */
import type { FusedActivation } from '../../../model/modules/batch-norm-act';
import { heapModule } from '../heap-module';
import * as bytes from './kernels.wasm';

export interface BatchNormActExports {
  channelMoment(x: number, center: number, pixels: number, channels: number, power: 1 | 2, partial: number, totals: number): void;
  normalizeActivate(x: number, y: number, mean: number, scale: number, beta: number, pixels: number, channels: number, act: number): void;
  gradActivationSums(
    dy: number, x: number, dz: number, mean: number, rstd: number, gamma: number, beta: number,
    pixels: number, channels: number, act: number, partial: number, totals: number,
  ): void;
  gradInput(dz: number, x: number, dx: number, mean: number, rstd: number, a: number, b: number, d: number, pixels: number, channels: number): void;
}

/** The activation codes of assembly/kernels.ts. */
export const ACTIVATION_CODES: Record<FusedActivation, number> = { linear: 0, relu: 1, leaky: 2, silu: 3, mish: 4 };

export function batchNormActKernels(memory: WebAssembly.Memory): BatchNormActExports {
  return heapModule<BatchNormActExports>(bytes, memory);
}
