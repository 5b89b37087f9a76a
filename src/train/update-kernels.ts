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

export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
