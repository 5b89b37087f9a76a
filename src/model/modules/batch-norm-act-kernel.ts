/**
 * The contract between the fused BatchNorm + activation op (batch-norm-act.ts) and backends that run it as kernels
 * of their own (webgpu: src/runtime/webgpu-kernels/batch-norm-act). A file of its own so that the backends' kernels
 * and the op can import it without importing each other. All tensors float32, x NHWC, per-channel vectors [C].
 */
import type * as tf from '@tensorflow/tfjs';
import type { FusedActivation } from './batch-norm-act';

/** Inputs {x, runningMean, runningVar}; outputs [mean, variance (biased), runningMean', runningVar']. */
export const BN_ACT_STATS = 'LabBatchNormActStats';
export interface BnStatsAttrs {
  /** PyTorch's BN momentum: running' = (1 − momentum)·running + momentum·batch (unbiased variance). */
  momentum: number;
}

/** Inputs {x, mean, variance, gamma, beta}; output y = act(γ·(x − μ)/√(σ² + eps) + β). */
export const BN_ACT_FORWARD = 'LabBatchNormActForward';
/** Inputs {dy, x, mean, variance, gamma, beta}; outputs [dx, dγ, dβ]. */
export const BN_ACT_GRAD = 'LabBatchNormActGrad';
export interface BnActAttrs {
  act: FusedActivation;
  eps: number;
}

/** The channel count of a kernel's x, which must be float32 NHWC. */
export function bnChannels(x: tf.TensorInfo): number {
  if (x.shape.length !== 4 || x.dtype !== 'float32') {
    throw new Error(`fused BatchNorm wants a float32 NHWC tensor, got ${x.dtype} [${x.shape}]`);
  }
  return x.shape[3];
}
