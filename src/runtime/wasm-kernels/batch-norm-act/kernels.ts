/**
 * The activation codes of the BatchNorm + activation SIMD kernels (assembly/kernels.ts, built into kernels.wasm.ts by
 * scripts/build-wasm-kernels.mjs; tf-kernels.ts runs them on tfjs' heap).
 */
import type { FusedActivation } from '../../../model/modules/batch-norm-act';

export const ACTIVATION_CODES: Record<FusedActivation, number> = { linear: 0, relu: 1, leaky: 2, silu: 3, mish: 4 };
