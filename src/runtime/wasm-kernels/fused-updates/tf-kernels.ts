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
import { balancedRanges, kernelThreadCount, runJobs, type KernelJob } from '../kernel-threads';
import { asWasmBackend, f32, heapMemory, heapOffset, release, type KernelParams, type WasmBackendLike } from '../wasm-backend';
import * as bytes from './kernels.wasm';

const sizeOf = (info: tf.TensorInfo) => tf.util.sizeFromShape(info.shape);

/** Values below which an update runs on one thread. */
const MIN_SPLIT_VALUES = 1 << 16;

/**
 * Runs a list kernel (sgdNesterovList, axpbyList) over one table row per tensor: the rows are written into a scratch
 * tensor (`words` 32-bit words each, filled by `fill`), then split into runs of about equal work, one per thread.
 */
function runList(
  b: WasmBackendLike,
  fn: string,
  sizes: number[],
  words: number,
  fill: (j: number, row: number, i32: Int32Array, f32s: Float32Array) => void,
  trailing: number[],
): void {
  if (sizes.length === 0) return;
  const table = b.makeOutput([sizes.length * words], 'float32');
  const f32s = f32(b, table);
  const i32 = new Int32Array(f32s.buffer, f32s.byteOffset, f32s.length);
  sizes.forEach((_, j) => fill(j, j * words, i32, f32s));
  const memory = heapMemory(b);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const base = heapOffset(b, table);
  const jobs: KernelJob[] = balancedRanges(sizes, kernelThreadCount(memory, total, MIN_SPLIT_VALUES)).map(({ first, count }) => ({
    fn,
    args: [base + 4 * words * first, count, ...trailing],
  }));
  try {
    runJobs(bytes, memory, jobs);
  } finally {
    release(b, table);
  }
}

interface SgdTensors {
  param: tf.TensorInfo;
  momentum: tf.TensorInfo;
  grad: tf.TensorInfo;
}

/** SGD over tensors i = 0..n-1 with their own lr and decay; outputs [params', momenta']. */
function sgdNesterov(b: WasmBackendLike, tensors: SgdTensors[], mu: number, lrs: number[], decays: number[]): tf.TensorInfo[] {
  const paramsOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  const momentaOut = tensors.map((t) => b.makeOutput(t.param.shape, 'float32'));
  const at = (info: tf.TensorInfo) => heapOffset(b, info);
  const sizes = tensors.map((t) => sizeOf(t.param));
  runList(b, 'sgdNesterovList', sizes, 8, (j, row, i32, f32s) => {
    const t = tensors[j];
    i32.set([at(t.param), at(t.momentum), at(t.grad), at(paramsOut[j]), at(momentaOut[j]), sizes[j]], row);
    f32s[row + 6] = lrs[j];
    f32s[row + 7] = decays[j];
  }, [mu]);
  return [...paramsOut, ...momentaOut];
}

/** out_i = a·x_i + b·y_i for each pair (x_i, y_i). */
function axpbyPairs(b: WasmBackendLike, xs: tf.TensorInfo[], ys: tf.TensorInfo[], a: number, bCoef: number): tf.TensorInfo[] {
  const outs = xs.map((x) => b.makeOutput(x.shape, 'float32'));
  const at = (info: tf.TensorInfo) => heapOffset(b, info);
  const sizes = xs.map(sizeOf);
  runList(b, 'axpbyList', sizes, 4, (j, row, i32) => {
    i32.set([at(xs[j]), at(ys[j]), at(outs[j]), sizes[j]], row);
  }, [a, bCoef]);
  return outs;
}

/** ema' = decay·ema + (1 − decay)·source for each pair. */
function ema(b: WasmBackendLike, pairs: { ema: tf.TensorInfo; source: tf.TensorInfo }[], decay: number): tf.TensorInfo[] {
  return axpbyPairs(b, pairs.map((p) => p.ema), pairs.map((p) => p.source), decay, 1 - decay);
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
  const { count } = attrs as unknown as MultiAddAttrs;
  return axpbyPairs(asWasmBackend(backend), inputList(inputs, 'a', count), inputList(inputs, 'b', count), 1, 1);
}

export const fusedUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovUpdate as unknown as tf.KernelFunc },
  { kernelName: SGD_NESTEROV_MULTI_UPDATE, backendName: 'wasm', kernelFunc: sgdNesterovMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_UPDATE, backendName: 'wasm', kernelFunc: emaUpdate as tf.KernelFunc },
  { kernelName: EMA_MULTI_UPDATE, backendName: 'wasm', kernelFunc: emaMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: MULTI_ADD, backendName: 'wasm', kernelFunc: multiAdd as unknown as tf.KernelFunc },
];
