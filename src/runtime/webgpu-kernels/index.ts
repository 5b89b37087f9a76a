/**
 * The webgpu backend's kernels of our own: the grouped conv and the one-pass optimizer and EMA updates. Registering a kernel needs no backend instance,
 * so this may run before or after webgpu starts, and where WebGPU does not exist at all.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedUpdateKernelConfigs } from './fused-updates';
import { groupedConvKernelConfigs } from './grouped-conv/tf-kernels';

let registered = false;

/** Registers (once) every kernel under src/runtime/webgpu-kernels for the 'webgpu' backend. */
export function registerWebGpuKernels(): void {
  if (registered) return;
  for (const config of [...groupedConvKernelConfigs, ...fusedUpdateKernelConfigs]) {
    if (!tf.getKernel(config.kernelName, 'webgpu')) tf.registerKernel(config);
  }
  registered = true;
}
