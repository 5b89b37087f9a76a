/**
 * The wasm backend's one-pass optimizer updates (the contract is src/train/update-kernels.ts): one loop over the
 * tensor instead of 8 (SGD) or 3 (EMA) XNNPACK calls and their scalar uploads. JavaScript computes in float64 and
 * rounds once per stored value, where the op-by-op path rounds after every op: results agree to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { EMA_UPDATE, SGD_NESTEROV_UPDATE, type EmaUpdateAttrs, type SgdUpdateAttrs } from '../../train/update-kernels';
import { asWasmBackend, f32, type KernelParams } from './wasm-backend';

function sgdNesterovUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = asWasmBackend(backend);
  const { param, momentum, grad } = inputs as { param: tf.TensorInfo; momentum: tf.TensorInfo; grad: tf.TensorInfo };
  const { lr, momentum: mu, weightDecay } = attrs as unknown as SgdUpdateAttrs;
  const paramOut = b.makeOutput(param.shape, 'float32');
  const momentumOut = b.makeOutput(param.shape, 'float32');
  // Views after the last allocation (makeOutput may grow the heap and detach earlier ones).
  const [p, v, g, pOut, vOut] = [param, momentum, grad, paramOut, momentumOut].map((info) => f32(b, info));
  for (let i = 0; i < p.length; i++) {
    const d = g[i] + weightDecay * p[i];
    const vi = mu * v[i] + d;
    vOut[i] = vi;
    pOut[i] = p[i] - lr * (d + mu * vi);
  }
  return [paramOut, momentumOut];
}

function emaUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { ema, source } = inputs as { ema: tf.TensorInfo; source: tf.TensorInfo };
  const { decay } = attrs as unknown as EmaUpdateAttrs;
  const out = b.makeOutput(ema.shape, 'float32');
  const [e, s, o] = [ema, source, out].map((info) => f32(b, info));
  for (let i = 0; i < e.length; i++) o[i] = decay * e[i] + (1 - decay) * s[i];
  return out;
}

export const fusedUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_UPDATE, backendName: 'wasm', kernelFunc: emaUpdate as tf.KernelFunc },
];
