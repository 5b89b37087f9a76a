/**
 * The wasm backend's one-pass optimizer updates (the contract is src/train/update-kernels.ts): one loop over the
 * tensor instead of 8 (SGD) or 3 (EMA) XNNPACK calls and their scalar uploads, and the multi-tensor forms that run
 * every tensor of the update in one kernel call. JavaScript computes in float64 and rounds once per stored value,
 * where the op-by-op path rounds after every op: results agree to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import {
  EMA_MULTI_UPDATE,
  EMA_UPDATE,
  inputList,
  MULTI_ADD,
  SGD_NESTEROV_MULTI_UPDATE,
  SGD_NESTEROV_UPDATE,
  type EmaMultiUpdateAttrs,
  type EmaUpdateAttrs,
  type MultiAddAttrs,
  type SgdMultiUpdateAttrs,
  type SgdUpdateAttrs,
} from '../../train/update-kernels';
import { asWasmBackend, f32, type KernelParams, type WasmBackendLike } from './wasm-backend';

interface SgdTensors {
  param: tf.TensorInfo;
  momentum: tf.TensorInfo;
  grad: tf.TensorInfo;
}

/** SGD over tensors i = 0..n-1 with their own lr and decay; outputs [params', momenta']. */
function sgdNesterov(b: WasmBackendLike, tensors: SgdTensors[], mu: number, lrs: number[], decays: number[]): tf.TensorInfo[] {
  const paramsOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  const momentaOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  // Views after the last allocation (makeOutput may grow the heap and detach earlier ones).
  tensors.forEach((t, j) => {
    const [p, v, g, pOut, vOut] = [t.param, t.momentum, t.grad, paramsOut[j], momentaOut[j]].map((info) => f32(b, info));
    const lr = lrs[j];
    const weightDecay = decays[j];
    for (let i = 0; i < p.length; i++) {
      const d = g[i] + weightDecay * p[i];
      const vi = mu * v[i] + d;
      vOut[i] = vi;
      pOut[i] = p[i] - lr * (d + mu * vi);
    }
  });
  return [...paramsOut, ...momentaOut];
}

/** ema' = decay·ema + (1 − decay)·source for each pair. */
function ema(b: WasmBackendLike, pairs: { ema: tf.TensorInfo; source: tf.TensorInfo }[], decay: number): tf.TensorInfo[] {
  const outs = pairs.map((p) => b.makeOutput(p.ema.shape, 'float32'));
  pairs.forEach((pair, j) => {
    const [e, s, o] = [pair.ema, pair.source, outs[j]].map((info) => f32(b, info));
    for (let i = 0; i < e.length; i++) o[i] = decay * e[i] + (1 - decay) * s[i];
  });
  return outs;
}

function sgdNesterovUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const { lr, momentum, weightDecay } = attrs as unknown as SgdUpdateAttrs;
  return sgdNesterov(asWasmBackend(backend), [inputs as unknown as SgdTensors], momentum, [lr], [weightDecay]);
}

function sgdNesterovMultiUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const { lrs, weightDecays, momentum } = attrs as unknown as SgdMultiUpdateAttrs;
  const n = lrs.length;
  const [params, momenta, grads] = ['param', 'momentum', 'grad'].map((key) => inputList(inputs, key, n));
  const tensors = params.map((param, i) => ({ param, momentum: momenta[i], grad: grads[i] }));
  return sgdNesterov(asWasmBackend(backend), tensors, momentum, lrs, weightDecays);
}

function emaUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { decay } = attrs as unknown as EmaUpdateAttrs;
  const pair = inputs as { ema: tf.TensorInfo; source: tf.TensorInfo };
  return ema(asWasmBackend(backend), [pair], decay)[0];
}

function emaMultiUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const { decay, count } = attrs as unknown as EmaMultiUpdateAttrs;
  const sources = inputList(inputs, 'source', count);
  const pairs = inputList(inputs, 'ema', count).map((e, i) => ({ ema: e, source: sources[i] }));
  return ema(asWasmBackend(backend), pairs, decay);
}

function multiAdd({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = asWasmBackend(backend);
  const { count } = attrs as unknown as MultiAddAttrs;
  const lefts = inputList(inputs, 'a', count);
  const rights = inputList(inputs, 'b', count);
  const outs = lefts.map((t) => b.makeOutput(t.shape, 'float32'));
  outs.forEach((out, j) => {
    const [x, y, o] = [lefts[j], rights[j], out].map((info) => f32(b, info));
    for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
  });
  return outs;
}

export const fusedUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovUpdate as unknown as tf.KernelFunc },
  { kernelName: SGD_NESTEROV_MULTI_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_UPDATE, backendName: 'wasm', kernelFunc: emaUpdate as tf.KernelFunc },
  { kernelName: EMA_MULTI_UPDATE, backendName: 'wasm', kernelFunc: emaMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: MULTI_ADD, backendName: 'wasm', kernelFunc: multiAdd as unknown as tf.KernelFunc },
];
