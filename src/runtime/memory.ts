/**
 * Memory figures for the status bar, the worker's `step` events and the benchmarks: tfjs' tensor count and bytes, plus
 * GPU buffer bytes on webgpu (its buffer manager also keeps freed buffers for reuse, so allocated ≥ used).
 */
import * as tf from '@tensorflow/tfjs';

export interface MemorySnapshot {
  numTensors: number;
  numDataBuffers: number;
  /** Bytes of live tensors, as tfjs counts them. */
  numBytes: number;
  /** webgpu: bytes in GPU buffers held by live tensors; null on other backends. */
  gpuBytes: number | null;
  /** webgpu: bytes of all GPU buffers the backend holds, pooled free ones included. */
  gpuBytesAllocated: number | null;
  /** True when the backend cannot count exactly (tfjs' own flag). */
  unreliable: boolean;
}

export function memorySnapshot(): MemorySnapshot {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  return {
    numTensors: m.numTensors,
    numDataBuffers: m.numDataBuffers,
    numBytes: m.numBytes,
    gpuBytes: m.numBytesInGPU ?? null,
    gpuBytesAllocated: m.numBytesAllocatedInGPU ?? null,
    unreliable: Boolean(m.unreliable),
  };
}

export interface PeakMemory<T> {
  result: T;
  /** Most bytes held by tensors at any point during `fn` (tfjs' profiler). */
  peakBytes: number;
  /** Most live tensors at any point during `fn`. */
  peakTensors: number;
  /** Tensors and bytes still alive after `fn` that were not before it (a leak, unless returned on purpose). */
  newTensors: number;
  newBytes: number;
  /** Kernels run, by name: how often, and their summed time as the backend's timer measured it (NaN if it cannot). */
  kernels: Record<string, KernelStats>;
}

export interface KernelStats {
  count: number;
  ms: number;
}

/**
 * Runs `fn` under tfjs' profiler and reports its peak memory and per-kernel time. The profiler adds bookkeeping (and on
 * backends without a kernel timer, a sync per kernel) to every kernel, so time `fn` separately when speed matters.
 */
export async function measurePeakMemory<T>(fn: () => T | Promise<T>): Promise<PeakMemory<T>> {
  const before = tf.memory().numTensors;
  let result!: T;
  const profile = await tf.profile(async () => {
    result = await fn();
    // tf.profile wants tensors back; results are handed to the caller, so return nothing to it.
    return [] as tf.Tensor[];
  });
  const kernels: Record<string, KernelStats> = {};
  let peakTensors = before;
  for (const kernel of profile.kernels) {
    const stats = (kernels[kernel.name] ??= { count: 0, ms: 0 });
    stats.count++;
    stats.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : NaN;
    peakTensors = Math.max(peakTensors, kernel.totalTensorsSnapshot);
  }
  return {
    result,
    peakBytes: profile.peakBytes,
    peakTensors,
    newTensors: profile.newTensors,
    newBytes: profile.newBytes,
    kernels,
  };
}
