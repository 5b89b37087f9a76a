/**
 * The contract between the training core's per-tensor updates (optimizer.ts, ema.ts) and backends that run each as
 * one kernel (wasm: src/runtime/wasm-kernels/fused-updates.ts). Built from tf ops, an SGD step is 8 kernels per
 * parameter tensor and an EMA update 3, plus a scalar upload per constant; fused, a scale-n step runs 1,150 fewer
 * kernels and is 2–4% faster on wasm (docs/performance.md). Backends without these kernels keep the op-by-op path.
 */
import * as tf from '@tensorflow/tfjs';

/** Inputs {param, momentum, grad}; outputs [param', momentum'] (PyTorch's nesterov SGD, see optimizer.ts). */
export const SGD_NESTEROV_UPDATE = 'LabSgdNesterovUpdate';
export interface SgdUpdateAttrs {
  lr: number;
  momentum: number;
  /** 0 for the groups without decay. */
  weightDecay: number;
}

/** Inputs {ema, source}; output ema' = decay·ema + (1 − decay)·source. */
export const EMA_UPDATE = 'LabEmaUpdate';
export interface EmaUpdateAttrs {
  decay: number;
}

/**
 * Multi-tensor forms: every tensor of the update in one kernel call (webgpu: one dispatch over flat copies, see
 * src/runtime/webgpu-kernels/multi-tensor-updates.ts; wasm: one call looping over the tensors), instead of one call
 * per tensor. Inputs are numbered lists (listInputs); outputs come back in input order.
 */
/** Inputs param<i>, momentum<i>, grad<i>; outputs [param'0..n-1, momentum'0..n-1]. */
export const SGD_NESTEROV_MULTI_UPDATE = 'LabSgdNesterovMultiUpdate';
export interface SgdMultiUpdateAttrs {
  momentum: number;
  /** Per tensor, in input order. */
  lrs: number[];
  weightDecays: number[];
}

/** Inputs ema<i>, source<i>; outputs [ema'0..n-1]. */
export const EMA_MULTI_UPDATE = 'LabEmaMultiUpdate';
export interface EmaMultiUpdateAttrs {
  decay: number;
  count: number;
}

/** Inputs a<i>, b<i>; outputs [a0 + b0, ..., a<n-1> + b<n-1>] (gradient accumulation, accumulate.ts). */
export const MULTI_ADD = 'LabMultiAdd';
export interface MultiAddAttrs {
  count: number;
}

/** `{ema0: a, ema1: b, source0: ...}` from `{ema: [a, b], source: [...]}`. */
export function listInputs<T>(lists: Record<string, readonly T[]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, list] of Object.entries(lists)) list.forEach((t, i) => (out[`${key}${i}`] = t));
  return out;
}

/** The inverse of listInputs for one key: the numbered entries `key0..key<n-1>`; throws naming the first missing one. */
export function inputList<T>(inputs: Record<string, T>, key: string, n: number): NonNullable<T>[] {
  return Array.from({ length: n }, (_, i) => {
    const t = inputs[`${key}${i}`];
    if (t === undefined || t === null) throw new Error(`multi-tensor update: input ${key}${i} is missing (expected ${n})`);
    return t;
  });
}

export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
