/**
 * The webgpu backend's kernels of our own (the grouped conv, the multi-tensor optimizer and EMA updates, the fused
 * training BatchNorm + activation, the tiled conv filter gradient that replaces tfjs' own). Registering a kernel
 * needs no backend instance, so this may run before or after webgpu starts, and where WebGPU does not exist at all.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormActKernelConfigs } from './batch-norm-act/tf-kernels';
import { tiledConv2dBackpropFilterConfig } from './tiled-conv/tf-kernels';
import { groupedConvKernelConfigs } from './grouped-conv/tf-kernels';
import { multiTensorUpdateKernelConfigs } from './multi-tensor-updates';

let registered = false;
/** tfjs' own kernels that ours replace, by kernel name: the fallback for what ours does not handle, and the bench's baseline. */
const replacedKernels = new Map<string, tf.KernelConfig>();

/** The kernel tfjs registered under `kernelName` for webgpu before ours replaced it, if ours did. */
export function replacedWebGpuKernel(kernelName: string): tf.KernelConfig | undefined {
  return replacedKernels.get(kernelName);
}

/** Registers (once) every kernel under src/runtime/webgpu-kernels for the 'webgpu' backend. */
export function registerWebGpuKernels(): void {
  if (registered) return;
  for (const config of [...groupedConvKernelConfigs, ...multiTensorUpdateKernelConfigs, ...batchNormActKernelConfigs]) {
    if (!tf.getKernel(config.kernelName, 'webgpu')) tf.registerKernel(config);
  }
  // tfjs' filter gradient is one invocation per weight looping over batch × output pixels; ours is tiled.
  const original = tf.getKernel(tf.Conv2DBackpropFilter, 'webgpu');
  if (original) {
    replacedKernels.set(tf.Conv2DBackpropFilter, original);
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'webgpu');
    tf.registerKernel(tiledConv2dBackpropFilterConfig(original));
  }
  registered = true;
}
