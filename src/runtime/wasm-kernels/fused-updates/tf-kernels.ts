/**
 * The wasm backend's one-pass optimizer updates (the contract is src/train/update-kernels.ts): one loop over the
 * tensor instead of 8 (SGD) or 3 (EMA) XNNPACK calls and their scalar uploads, and the multi-tensor forms that run
 * every tensor of the update in one kernel call. The loops are our SIMD kernels (assembly/kernels.ts) on tfjs' heap;
 * results agree with the op-by-op path to float32 rounding.
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
} from '../../../train/update-kernels';
import { heapModule } from '../heap-module';
import { asWasmBackend, heapMemory, heapOffset, type KernelParams, type WasmBackendLike } from '../wasm-backend';
import * as bytes from './kernels.wasm';

interface UpdateExports {
  sgdNesterov(p: number, v: number, g: number, pOut: number, vOut: number, count: number, lr: number, mu: number, wd: number): void;
  axpby(x: number, y: number, out: number, count: number, a: number, b: number): void;
}

function kernels(b: WasmBackendLike): UpdateExports {
  return heapModule<UpdateExports>(bytes, heapMemory(b));
}

const sizeOf = (info: tf.TensorInfo) => tf.util.sizeFromShape(info.shape);

interface SgdTensors {
  param: tf.TensorInfo;
  momentum: tf.TensorInfo;
  grad: tf.TensorInfo;
}

/** SGD over tensors i = 0..n-1 with their own lr and decay; outputs [params', momenta']. */
function sgdNesterov(b: WasmBackendLike, tensors: SgdTensors[], mu: number, lrs: number[], decays: number[]): tf.TensorInfo[] {
  const paramsOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  const momentaOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  const k = kernels(b);
  const at = (info: tf.TensorInfo) => heapOffset(b, info);
  tensors.forEach((t, j) => {
    k.sgdNesterov(at(t.param), at(t.momentum), at(t.grad), at(paramsOut[j]), at(momentaOut[j]), sizeOf(t.param), lrs[j], mu, decays[j]);
  });
  return [...paramsOut, ...momentaOut];
}

/** ema' = decay·ema + (1 − decay)·source for each pair. */
function ema(b: WasmBackendLike, pairs: { ema: tf.TensorInfo; source: tf.TensorInfo }[], decay: number): tf.TensorInfo[] {
  const outs = pairs.map((p) => b.makeOutput(p.ema.shape, 'float32'));
  const k = kernels(b);
  const at = (info: tf.TensorInfo) => heapOffset(b, info);
  pairs.forEach((pair, j) => k.axpby(at(pair.ema), at(pair.source), at(outs[j]), sizeOf(pair.ema), decay, 1 - decay));
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
  const k = kernels(b);
  const at = (info: tf.TensorInfo) => heapOffset(b, info);
  outs.forEach((out, j) => k.axpby(at(lefts[j]), at(rights[j]), at(out), sizeOf(out), 1, 1));
  return outs;
}

export const fusedUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovUpdate as unknown as tf.KernelFunc },
  { kernelName: SGD_NESTEROV_MULTI_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_UPDATE, backendName: 'wasm', kernelFunc: emaUpdate as tf.KernelFunc },
  { kernelName: EMA_MULTI_UPDATE, backendName: 'wasm', kernelFunc: emaMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: MULTI_ADD, backendName: 'wasm', kernelFunc: multiAdd as unknown as tf.KernelFunc },
];
