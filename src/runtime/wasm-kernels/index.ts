/**
 * The wasm backend's training kernels: registers (once) what tfjs-backend-wasm lacks or computes wrongly, so that
 * forward passes and gradients on wasm match the cpu backend. Safe to call before or after the wasm backend starts.
 */
import * as tf from '@tensorflow/tfjs';
import * as batchNormActBytes from './batch-norm-act/kernels.wasm';
import { batchNormActKernelConfigs } from './batch-norm-act/tf-kernels';
import { borrowedCpuKernelConfigs } from './borrowed-cpu-kernels';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import * as fusedUpdateBytes from './fused-updates/kernels.wasm';
import { fusedUpdateKernelConfigs } from './fused-updates/tf-kernels';
import * as groupedConvBytes from './grouped-conv/kernels.wasm';
import { groupedConvKernelConfigs } from './grouped-conv/tf-kernels';
import { startKernelThreads } from './kernel-threads';
import { identityConfig } from './identity';
import { maxPoolCeilConfig } from './max-pool-ceil';
import { maxPoolGradConfig } from './max-pool-grad/tf-kernels';
import { sliceConfig, splitVConfig } from './slice';
import { tileConfig } from './tile';
import { asWasmBackend, heapMemory } from './wasm-backend';

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const stock = (name: string) => {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`tfjs-backend-wasm is not loaded (no wasm ${name} kernel)`);
    return config;
  };
  const configs = [
    conv2dBackpropFilterConfig,
    conv2dBackpropInputConfig,
    maxPoolGradConfig,
    identityConfig(stock('Identity')),
    maxPoolCeilConfig(stock('MaxPool')),
    sliceConfig(stock('Slice')),
    splitVConfig(stock('SplitV')),
    tileConfig(stock('Tile')),
    ...borrowedCpuKernelConfigs(),
    ...groupedConvKernelConfigs,
    ...batchNormActKernelConfigs,
    ...fusedUpdateKernelConfigs,
  ];
  for (const config of configs) {
    // Replace tfjs' own version where one exists; unregistering first avoids its "already registered" warning.
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  registered = true;
}

/** Our heap modules whose kernels split their work across kernel threads. */
const THREADED_MODULES = [groupedConvBytes, batchNormActBytes, fusedUpdateBytes];

/**
 * Starts kernel threads (kernel-threads.ts) on the active wasm backend's heap, so that our kernels use the cores;
 * resolves with the count in use (1 in Node or for one thread) and, where they could not start, why.
 */
export async function startWasmKernelThreads(threads: number): Promise<{ threads: number; problem?: string }> {
  return startKernelThreads(heapMemory(asWasmBackend(tf.backend())), THREADED_MODULES, threads);
}
