/**
 * The webgpu backend's one-pass optimizer updates (the contract is src/train/update-kernels.ts). Op by op, nesterov
 * SGD is 8 dispatches per parameter tensor and an EMA update 3, each with its scalar uploads; here SGD is 2 (a tfjs
 * program has one output, so the new momentum and the new weights are two programs over the same inputs) and EMA 1.
 * The constants travel as uniforms. Inputs are read by flat index: same shape as the output, and tfjs tensors are
 * dense.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { flatProgram } from './flat-program';
import { EMA_UPDATE, SGD_NESTEROV_UPDATE, type EmaUpdateAttrs, type SgdUpdateAttrs } from '../../train/update-kernels';

interface KernelParams {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}

const SGD_UNIFORMS = 'lr : f32, mu : f32, weightDecay : f32,';
// d = g + wd·p; v' = mu·v + d; p' = p − lr·(d + mu·v'): PyTorch's nesterov SGD (optimizer.ts).
const SGD_COMMON = `
        let d = grad[index] + uniforms.weightDecay * param[index];
        let v = uniforms.mu * momentum[index] + d;`;

function sgdNesterovUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const { param, momentum, grad } = inputs as { param: tf.TensorInfo; momentum: tf.TensorInfo; grad: tf.TensorInfo };
  const { lr, momentum: mu, weightDecay } = attrs as unknown as SgdUpdateAttrs;
  const b = backend as WebGPUBackend;
  const uniforms = [
    { type: 'float32', data: [lr] },
    { type: 'float32', data: [mu] },
    { type: 'float32', data: [weightDecay] },
  ];
  const names = ['param', 'momentum', 'grad'];
  const args = [param, momentum, grad];
  const paramOut = b.runWebGPUProgram(
    flatProgram('labSgdParam', names, SGD_UNIFORMS, param.shape, `${SGD_COMMON}
        setOutputAtIndex(index, param[index] - uniforms.lr * (d + uniforms.mu * v));`),
    args,
    'float32',
    uniforms,
  );
  const momentumOut = b.runWebGPUProgram(
    flatProgram('labSgdMomentum', names, SGD_UNIFORMS, param.shape, `${SGD_COMMON}
        setOutputAtIndex(index, v);`),
    args,
    'float32',
    uniforms,
  );
  return [paramOut, momentumOut];
}

function emaUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { ema, source } = inputs as { ema: tf.TensorInfo; source: tf.TensorInfo };
  const { decay } = attrs as unknown as EmaUpdateAttrs;
  const program = flatProgram('labEma', ['ema', 'source'], 'decay : f32,', ema.shape, `
        setOutputAtIndex(index, uniforms.decay * ema[index] + (1.0 - uniforms.decay) * source[index]);`);
  return (backend as WebGPUBackend).runWebGPUProgram(program, [ema, source], 'float32', [{ type: 'float32', data: [decay] }]);
}

export const fusedUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_UPDATE, backendName: 'webgpu', kernelFunc: sgdNesterovUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_UPDATE, backendName: 'webgpu', kernelFunc: emaUpdate as unknown as tf.KernelFunc },
];
