/**
 * The webgpu backend's fused BatchNorm + activation kernels (contract: src/model/modules/batch-norm-act-kernel.ts):
 * statistics 1 dispatch, forward 1, gradient 2. Results that one program writes as rows of a [k, C] output are
 * split into [C] tensors by buffer copies (flat-buffers.ts), which are not dispatches.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  BN_ACT_FORWARD,
  BN_ACT_GRAD,
  BN_ACT_STATS,
  bnChannels,
  type BnActAttrs,
  type BnStatsAttrs,
} from '../../../model/modules/batch-norm-act-kernel';
import { unpackFlat } from '../flat-buffers';
import { forwardProgram, gradInputProgram, gradSumsProgram, statsProgram } from './programs';

type KernelParams = Parameters<tf.KernelFunc>[0];

function stats({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = backend as WebGPUBackend;
  const { x, runningMean, runningVar } = inputs as Record<string, tf.TensorInfo>;
  const { momentum } = attrs as unknown as BnStatsAttrs;
  const c = bnChannels(x);
  const out = b.runWebGPUProgram(statsProgram(c), [x, runningMean, runningVar], 'float32', [{ type: 'float32', data: [momentum] }]);
  const rows = unpackFlat(b, out, [[c], [c], [c], [c]]);
  b.disposeData(out.dataId);
  return rows;
}

function forward({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { x, mean, variance, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = attrs as unknown as BnActAttrs;
  bnChannels(x);
  return (backend as WebGPUBackend).runWebGPUProgram(forwardProgram(x.shape, act), [x, mean, variance, gamma, beta], 'float32', [{ type: 'float32', data: [eps] }]);
}

function grad({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = backend as WebGPUBackend;
  const { dy, x, mean, variance, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = attrs as unknown as BnActAttrs;
  const c = bnChannels(x);
  const uniforms = [{ type: 'float32', data: [eps] }];
  const common = [dy, x, mean, variance, gamma, beta];
  const sums = b.runWebGPUProgram(gradSumsProgram(c, act), common, 'float32', uniforms);
  const dx = b.runWebGPUProgram(gradInputProgram(x.shape, act), [...common, sums], 'float32', uniforms);
  const [dBeta, dGamma] = unpackFlat(b, sums, [[c], [c]]);
  b.disposeData(sums.dataId);
  return [dx, dGamma, dBeta];
}

export const batchNormActKernelConfigs: tf.KernelConfig[] = [
  { kernelName: BN_ACT_STATS, backendName: 'webgpu', kernelFunc: stats as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_FORWARD, backendName: 'webgpu', kernelFunc: forward as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_GRAD, backendName: 'webgpu', kernelFunc: grad as unknown as tf.KernelFunc },
];
