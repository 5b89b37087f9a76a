/**
 * Training-mode BatchNorm followed by its activation as ONE differentiable op (tf.customGrad) with a closed-form
 * backward, instead of letting autodiff walk moments → normalize → activation op by op. Per BN this removes most of
 * the backward's kernels (the tape's many Multiply/Add/Reshape/Cast), on every backend, with the same gradients:
 *
 *   x̂ = (x − μ)·r, r = 1/√(σ² + eps);  z = γ·x̂ + β;  y = act(z)
 *   dz = dy·act'(z);  dβ = Σdz;  dγ = Σ dz·x̂;  dx = γ·r·(dz − dβ/N − x̂·dγ/N)     (sums over N = batch·height·width)
 *
 * The running statistics are updated from μ and the unbiased σ²; they carry no gradient, as in PyTorch.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_ACT_FORWARD, BN_ACT_GRAD, BN_ACT_STATS, type BnActAttrs, type BnStatsAttrs } from './batch-norm-act-kernel';

export type FusedActivation = 'linear' | 'relu' | 'mish' | 'silu' | 'leaky';

/** ScaledYOLOv4's LeakyReLU slope. */
export const LEAKY_SLOPE = 0.1;

export function activate(z: tf.Tensor, act: FusedActivation): tf.Tensor {
  switch (act) {
    case 'linear':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'mish':
      return tf.mul(z, tf.tanh(tf.softplus(z)));
    case 'silu':
      return tf.mul(z, tf.sigmoid(z));
    case 'leaky':
      return tf.leakyRelu(z, LEAKY_SLOPE);
  }
}

/** dy·act'(z). */
export function activationGrad(dy: tf.Tensor, z: tf.Tensor, act: FusedActivation): tf.Tensor {
  switch (act) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(z));
    case 'leaky':
      return tf.where(tf.greater(z, 0), dy, tf.mul(dy, LEAKY_SLOPE));
    case 'silu': {
      const s = tf.sigmoid(z); // silu' = s·(1 + z·(1 − s))
      return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(z, tf.sub(1, s)))));
    }
    case 'mish': {
      const t = tf.tanh(tf.softplus(z)); // mish' = t + z·sigmoid(z)·(1 − t²)
      return tf.mul(dy, tf.add(t, tf.mul(tf.mul(z, tf.sigmoid(z)), tf.sub(1, tf.square(t)))));
    }
  }
}

const AXES = [0, 1, 2];

export interface BnTrainSettings {
  eps: number;
  act: FusedActivation;
  /** PyTorch's BN momentum, for the running statistics. */
  momentum: number;
  /** Updated in place (assigned) from the batch: running' = (1 − momentum)·running + momentum·batch (unbiased var). */
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/**
 * y = act(batchnorm(x)) with batch statistics, updating the running statistics. Backends with the kernels of
 * batch-norm-act-kernel.ts run it as those (webgpu: 2 dispatches forward, 2 backward); others as the tf ops below.
 */
export function batchNormActTrain(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, settings: BnTrainSettings): tf.Tensor4D {
  const kernels = tf.getKernel(BN_ACT_FORWARD, tf.getBackend()) !== undefined;
  return (kernels ? kernelOp(settings) : opsOp(settings))(x, gamma, beta) as tf.Tensor4D;
}

function kernelOp(settings: BnTrainSettings) {
  const { runningMean, runningVar } = settings;
  const attrs = { act: settings.act, eps: settings.eps } satisfies BnActAttrs as unknown as tf.NamedAttrMap;
  const statsAttrs = { momentum: settings.momentum } satisfies BnStatsAttrs as unknown as tf.NamedAttrMap;
  return tf.customGrad((x, gamma, beta, save) => {
    const [mean, variance, rm, rv] = tf.engine().runKernel(BN_ACT_STATS, { x: x as tf.Tensor, runningMean, runningVar }, statsAttrs) as tf.Tensor[];
    runningMean.assign(rm);
    runningVar.assign(rv);
    const inputs = { x, mean, variance, gamma, beta } as tf.NamedTensorMap;
    (save as tf.GradSaveFunc)([x as tf.Tensor, mean, variance, gamma as tf.Tensor, beta as tf.Tensor]);
    return {
      value: tf.engine().runKernel(BN_ACT_FORWARD, inputs, attrs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, v, g, b] = saved;
        return tf.engine().runKernel(BN_ACT_GRAD, { dy, x: xs, mean: m, variance: v, gamma: g, beta: b }, attrs) as tf.Tensor[];
      },
    };
  });
}

function opsOp({ eps, act, momentum, runningMean, runningVar }: BnTrainSettings) {
  return tf.customGrad((xIn, gammaIn, betaIn, save) => {
    const xs = xIn as tf.Tensor4D;
    const mean = tf.mean(xs, AXES) as tf.Tensor1D;
    const centered = tf.sub(xs, mean);
    const variance = tf.mean(tf.square(centered), AXES) as tf.Tensor1D;
    // Running stats use the unbiased variance, as PyTorch does; normalisation uses the biased one.
    const count = xs.size / (xs.shape[3] as number);
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(centered, rstd);
    const z = tf.add(tf.mul(xhat, gammaIn as tf.Tensor), betaIn as tf.Tensor);
    (save as tf.GradSaveFunc)([xhat, z, rstd, gammaIn as tf.Tensor]);
    return {
      value: activate(z, act),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, zs, r, g] = saved;
        const n = xh.size / (xh.shape[3] as number);
        const dz = activationGrad(dy, zs, act);
        const dBeta = tf.sum(dz, AXES);
        const dGamma = tf.sum(tf.mul(dz, xh), AXES);
        const dx = tf.mul(tf.mul(g, r), tf.sub(tf.sub(dz, tf.div(dBeta, n)), tf.mul(xh, tf.div(dGamma, n))));
        return [dx, dGamma, dBeta];
      },
    };
  });
}
