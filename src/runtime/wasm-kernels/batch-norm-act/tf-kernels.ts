/**
 * The wasm backend's fused BatchNorm + activation kernels (contract: src/model/modules/batch-norm-act-kernel.ts), run
 * by our SIMD kernels on tfjs' heap in place: statistics 2 passes over x, forward 1, gradient 2. Per-channel vectors
 * (C floats) are prepared here in JavaScript; every pass over the image is SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import {
  BN_ACT_FORWARD,
  BN_ACT_GRAD,
  BN_ACT_STATS,
  bnChannels,
  type BnActAttrs,
  type BnStatsAttrs,
} from '../../../model/modules/batch-norm-act-kernel';
import { asWasmBackend, f32, heapMemory, heapOffset, release, type KernelParams, type WasmBackendLike } from '../wasm-backend';
import { ACTIVATION_CODES, batchNormActKernels } from './kernels';

/** A float32 scratch tensor of `length` zeros; its offset is 16-byte aligned (emscripten's malloc), so f64 views fit. */
function scratch(backend: WasmBackendLike, length: number): tf.TensorInfo {
  const info = backend.makeOutput([length], 'float32');
  f32(backend, info).fill(0);
  return info;
}

function rstdOf(variance: Float32Array, eps: number, into: Float32Array): void {
  for (let c = 0; c < variance.length; c++) into[c] = 1 / Math.sqrt(variance[c] + eps);
}

function stats({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo[] {
  const backend = asWasmBackend(kernelBackend);
  const { x, runningMean, runningVar } = inputs as Record<string, tf.TensorInfo>;
  const { momentum } = attrs as unknown as BnStatsAttrs;
  const c = bnChannels(x);
  const pixels = tf.util.sizeFromShape(x.shape) / c;
  const [mean, variance, rm, rv] = [0, 1, 2, 3].map(() => backend.makeOutput([c], 'float32'));
  // [zeros C | partial C | totals f64 C]
  const work = scratch(backend, 4 * c);
  const k = batchNormActKernels(heapMemory(backend));
  const base = heapOffset(backend, work);
  const [zeros, partial, totals] = [base, base + 4 * c, base + 8 * c];
  const sums = new Float64Array(heapMemory(backend).buffer, totals, c);

  k.channelMoment(heapOffset(backend, x), zeros, pixels, c, 1, partial, totals);
  const meanValues = f32(backend, mean);
  for (let i = 0; i < c; i++) meanValues[i] = sums[i] / pixels;
  sums.fill(0);
  k.channelMoment(heapOffset(backend, x), heapOffset(backend, mean), pixels, c, 2, partial, totals);
  const varValues = f32(backend, variance);
  for (let i = 0; i < c; i++) varValues[i] = sums[i] / pixels;

  // Running statistics with the unbiased variance, as PyTorch.
  const unbias = pixels / Math.max(pixels - 1, 1);
  const [rmIn, rvIn, rmOut, rvOut] = [runningMean, runningVar, rm, rv].map((info) => f32(backend, info));
  for (let i = 0; i < c; i++) {
    rmOut[i] = (1 - momentum) * rmIn[i] + momentum * meanValues[i];
    rvOut[i] = (1 - momentum) * rvIn[i] + momentum * varValues[i] * unbias;
  }
  release(backend, work);
  return [mean, variance, rm, rv];
}

function forward({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo {
  const backend = asWasmBackend(kernelBackend);
  const { x, mean, variance, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = attrs as unknown as BnActAttrs;
  const c = bnChannels(x);
  const y = backend.makeOutput(x.shape, 'float32');
  const scale = backend.makeOutput([c], 'float32');
  const scaleValues = f32(backend, scale);
  rstdOf(f32(backend, variance), eps, scaleValues);
  const g = f32(backend, gamma);
  for (let i = 0; i < c; i++) scaleValues[i] *= g[i];
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  batchNormActKernels(heapMemory(backend)).normalizeActivate(
    at(x), at(y), at(mean), at(scale), at(beta), tf.util.sizeFromShape(x.shape) / c, c, ACTIVATION_CODES[act],
  );
  release(backend, scale);
  return y;
}

function grad({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo[] {
  const backend = asWasmBackend(kernelBackend);
  const { dy, x, mean, variance, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = attrs as unknown as BnActAttrs;
  const c = bnChannels(x);
  const pixels = tf.util.sizeFromShape(x.shape) / c;
  const dx = backend.makeOutput(x.shape, 'float32');
  const dGamma = backend.makeOutput([c], 'float32');
  const dBeta = backend.makeOutput([c], 'float32');
  // [totals f64 2C | rstd C | partial 2C | a C | b C | d C]: the f64 block first keeps it 8-byte aligned.
  const work = scratch(backend, 10 * c);
  const base = heapOffset(backend, work);
  const [totals, rstd, partial, a, b, d] = [0, 4, 5, 7, 8, 9].map((floats) => base + floats * c * 4);
  const memory = heapMemory(backend);
  const k = batchNormActKernels(memory);
  const view = (byteOffset: number) => new Float32Array(memory.buffer, byteOffset, c);
  rstdOf(f32(backend, variance), eps, view(rstd));

  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  k.gradActivationSums(at(dy), at(x), at(dx), at(mean), rstd, at(gamma), at(beta), pixels, c, ACTIVATION_CODES[act], partial, totals);

  const sums = new Float64Array(memory.buffer, totals, 2 * c);
  const [r, g, dB, dG, av, bv, dv] = [view(rstd), f32(backend, gamma), f32(backend, dBeta), f32(backend, dGamma), view(a), view(b), view(d)];
  for (let i = 0; i < c; i++) {
    dB[i] = sums[i];
    dG[i] = sums[c + i];
    av[i] = g[i] * r[i];
    bv[i] = (av[i] * sums[c + i]) / pixels;
    dv[i] = (av[i] * sums[i]) / pixels;
  }
  k.gradInput(at(dx), at(x), at(dx), at(mean), rstd, a, b, d, pixels, c);
  release(backend, work);
  return [dx, dGamma, dBeta];
}

export const batchNormActKernelConfigs: tf.KernelConfig[] = [
  { kernelName: BN_ACT_STATS, backendName: 'wasm', kernelFunc: stats as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_FORWARD, backendName: 'wasm', kernelFunc: forward as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_GRAD, backendName: 'wasm', kernelFunc: grad as unknown as tf.KernelFunc },
];
