/**
 * The webgpu backend's kernels of our own (the grouped conv, the multi-tensor optimizer and EMA updates, the fused
 * training BatchNorm + activation). Registering a kernel needs no backend instance,
 * so this may run before or after webgpu starts, and where WebGPU does not exist at all.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormActKernelConfigs } from './batch-norm-act/tf-kernels';
import { groupedConvKernelConfigs } from './grouped-conv/tf-kernels';
import { multiTensorUpdateKernelConfigs } from './multi-tensor-updates';

let registered = false;

/** Registers (once) every kernel under src/runtime/webgpu-kernels for the 'webgpu' backend. */
export function registerWebGpuKernels(): void {
  if (registered) return;
  for (const config of [...groupedConvKernelConfigs, ...multiTensorUpdateKernelConfigs, ...batchNormActKernelConfigs]) {
    if (!tf.getKernel(config.kernelName, 'webgpu')) tf.registerKernel(config);
  }
  registered = true;
}
