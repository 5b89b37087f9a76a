/**
 * The wasm backend's fused BatchNorm + activation kernels (contract: src/model/modules/batch-norm-act-kernel.ts), run
 * by our SIMD kernels on tfjs' heap in place: statistics 2 passes over x, forward 1, gradient 2. Per-channel vectors
 * (C floats) are prepared here in JavaScript; every pass over the image is SIMD, split by pixels across the kernel
 * threads where they run (each run with its own per-channel sums, added here).
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
import { kernelThreadCount, ranges, runJobs, type KernelJob } from '../kernel-threads';
import { ACTIVATION_CODES } from './kernels';
import * as bytes from './kernels.wasm';

/** Values (pixels × channels) below which a pass runs on one thread. */
const MIN_SPLIT_VALUES = 1 << 15;
/** The kernels' flush block (assembly/kernels.ts BLOCK): splitting on its multiples keeps each run's f32 blocks whole. */
const BLOCK = 64;

/** The image's pixels as one run per thread that takes part. */
function pixelRuns(memory: WebAssembly.Memory, pixels: number, channels: number) {
  return ranges(pixels, kernelThreadCount(memory, pixels * channels, MIN_SPLIT_VALUES), BLOCK);
}

/** Adds run r's float64 sums (`length` per run, `stride` bytes apart from `first`) into `into`. */
function addRunSums(memory: WebAssembly.Memory, first: number, stride: number, runs: number, into: Float64Array): void {
  into.set(new Float64Array(memory.buffer, first, into.length));
  for (let r = 1; r < runs; r++) {
    const sums = new Float64Array(memory.buffer, first + r * stride, into.length);
    for (let i = 0; i < into.length; i++) into[i] += sums[i];
  }
}

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
  const memory = heapMemory(backend);
  const runs = pixelRuns(memory, pixels, c);
  // [per run: totals f64 C | partial C] then [zeros C]; an odd C pads each run by one float to keep the f64 blocks
  // 8-byte aligned.
  const perRun = 3 * c + (c % 2);
  const work = scratch(backend, runs.length * perRun + c);
  const base = heapOffset(backend, work);
  const zeros = base + 4 * runs.length * perRun;
  const sums = new Float64Array(c);
  const moment = (center: number, power: 1 | 2) => {
    const jobs: KernelJob[] = runs.map(({ first, count }, r) => {
      const totals = base + 4 * r * perRun;
      return { fn: 'channelMoment', args: [heapOffset(backend, x) + 4 * first * c, center, count, c, power, totals + 8 * c, totals] };
    });
    runJobs(bytes, memory, jobs);
    addRunSums(memory, base, 4 * perRun, runs.length, sums);
  };

  moment(zeros, 1);
  const meanValues = f32(backend, mean);
  for (let i = 0; i < c; i++) meanValues[i] = sums[i] / pixels;
  f32(backend, work).fill(0, 0, runs.length * perRun);
  moment(heapOffset(backend, mean), 2);
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
  const memory = heapMemory(backend);
  const jobs: KernelJob[] = pixelRuns(memory, tf.util.sizeFromShape(x.shape) / c, c).map(({ first, count }) => ({
    fn: 'normalizeActivate',
    args: [at(x) + 4 * first * c, at(y) + 4 * first * c, at(mean), at(scale), at(beta), count, c, ACTIVATION_CODES[act]],
  }));
  runJobs(bytes, memory, jobs);
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
  const memory = heapMemory(backend);
  const runs = pixelRuns(memory, pixels, c);
  // [per run: totals f64 2C | partial 2C] then [rstd C | a C | b C | d C]: 6C floats per run keep the f64 blocks
  // 8-byte aligned.
  const work = scratch(backend, runs.length * 6 * c + 4 * c);
  const base = heapOffset(backend, work);
  const [rstd, a, b, d] = [0, 1, 2, 3].map((k) => base + 4 * (runs.length * 6 * c + k * c));
  const view = (byteOffset: number) => new Float32Array(memory.buffer, byteOffset, c);
  rstdOf(f32(backend, variance), eps, view(rstd));

  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const code = ACTIVATION_CODES[act];
  runJobs(
    bytes,
    memory,
    runs.map(({ first, count }, r) => {
      const totals = base + 4 * r * 6 * c;
      const [offset, rows] = [4 * first * c, count];
      return {
        fn: 'gradActivationSums',
        args: [at(dy) + offset, at(x) + offset, at(dx) + offset, at(mean), rstd, at(gamma), at(beta), rows, c, code, totals + 16 * c, totals],
      };
    }),
  );

  const sums = new Float64Array(2 * c);
  addRunSums(memory, base, 4 * 6 * c, runs.length, sums);
  const [r, g, dB, dG, av, bv, dv] = [view(rstd), f32(backend, gamma), f32(backend, dBeta), f32(backend, dGamma), view(a), view(b), view(d)];
  for (let i = 0; i < c; i++) {
    dB[i] = sums[i];
    dG[i] = sums[c + i];
    av[i] = g[i] * r[i];
    bv[i] = (av[i] * sums[c + i]) / pixels;
    dv[i] = (av[i] * sums[i]) / pixels;
  }
  runJobs(
    bytes,
    memory,
    runs.map(({ first, count }) => ({
      fn: 'gradInput',
      args: [at(dx) + 4 * first * c, at(x) + 4 * first * c, at(dx) + 4 * first * c, at(mean), rstd, a, b, d, count, c],
    })),
  );
  release(backend, work);
  return [dx, dGamma, dBeta];
}

export const batchNormActKernelConfigs: tf.KernelConfig[] = [
  { kernelName: BN_ACT_STATS, backendName: 'wasm', kernelFunc: stats as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_FORWARD, backendName: 'wasm', kernelFunc: forward as unknown as tf.KernelFunc },
  { kernelName: BN_ACT_GRAD, backendName: 'wasm', kernelFunc: grad as unknown as tf.KernelFunc },
];
