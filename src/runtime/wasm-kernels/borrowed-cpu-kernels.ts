/**
 * Kernels the wasm backend lacks and that training can reach, run by the cpu backend on copies of the data:
 * - DepthwiseConv2dNativeBackpropFilter/Input: the gradient of depthwise convs (one way to build grouped convs);
 * - UnsortedSegmentSum: the gradient of tf.gather.
 * Slower than native kernels (two copies plus tfjs' JS loops) but exact; the hot convolution gradients have native
 * implementations in this folder instead.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend } from './wasm-backend';

export const BORROWED_FROM_CPU = [
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
] as const;

interface CpuBackendLike {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
  readSync(dataId: object): tf.backend_util.BackendValues;
  disposeData(dataId: object, force?: boolean): boolean;
}

function borrow(kernelName: string): tf.KernelConfig {
  const cpuKernel = tf.getKernel(kernelName, 'cpu');
  if (!cpuKernel) throw new Error(`cpu kernel ${kernelName} is not registered`);
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend: kernelBackend }) => {
      const wasm = asWasmBackend(kernelBackend);
      const cpu = tf.findBackend('cpu') as unknown as CpuBackendLike | null;
      if (!cpu) throw new Error(`${kernelName} on wasm borrows the cpu backend, which is not available`);
      const cpuInputs: tf.NamedTensorInfoMap = {};
      for (const [name, info] of Object.entries(inputs)) {
        if (!info) continue;
        cpuInputs[name] = { dataId: cpu.write(wasm.readSync(info.dataId), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
      }
      const result = cpuKernel.kernelFunc({ inputs: cpuInputs, attrs, backend: cpu as unknown as tf.KernelBackend });
      for (const info of Object.values(cpuInputs)) if (info) cpu.disposeData(info.dataId);
      const toWasm = (out: tf.TensorInfo): tf.TensorInfo => {
        const values = cpu.readSync(out.dataId);
        cpu.disposeData(out.dataId);
        const copy = wasm.makeOutput(out.shape, out.dtype);
        (wasm.typedArrayFromHeap(copy) as Float32Array).set(values as Float32Array);
        return copy;
      };
      return Array.isArray(result) ? result.map(toWasm) : toWasm(result);
    },
  };
}

export function borrowedCpuKernelConfigs(): tf.KernelConfig[] {
  return BORROWED_FROM_CPU.map(borrow);
}
