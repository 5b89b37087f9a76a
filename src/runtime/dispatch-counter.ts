/**
 * Counts what a piece of work costs the GPU in calls, not milliseconds: compute dispatches (every
 * `dispatchWorkgroups` recorded on the device, tfjs' programs and ours alike) and bytes uploaded through
 * `queue.writeBuffer`. Counts are exact and the same on any adapter, so a test can hold them to a number where a
 * timing would flake. The device's pass-encoder and queue prototypes are wrapped while the work runs, then restored.
 */
import * as tf from '@tensorflow/tfjs';

export interface GpuWorkCounts {
  dispatches: number;
  uploadBytes: number;
}

interface WebGpuBackendLike {
  device?: GPUDevice;
}

/** The WebGPU device tfjs trains on, when the backend is webgpu. */
export function webgpuDevice(): GPUDevice | undefined {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebGpuBackendLike).device : undefined;
}

function bytesWritten(data: BufferSource | SharedArrayBuffer, dataOffset = 0, size?: number): number {
  // A typed array counts offset and size in elements, an ArrayBuffer in bytes.
  const element = ArrayBuffer.isView(data) ? ((data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1) : 1;
  return size !== undefined ? size * element : data.byteLength - dataOffset * element;
}

export async function countGpuWork<T>(device: GPUDevice, work: () => Promise<T>): Promise<{ result: T; counts: GpuWorkCounts }> {
  // The prototypes, from throwaway objects: Node's Dawn does not expose the classes as globals.
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  const passProto = Object.getPrototypeOf(pass) as GPUComputePassEncoder;
  pass.end();
  encoder.finish();
  const queueProto = Object.getPrototypeOf(device.queue) as GPUQueue;

  const counts: GpuWorkCounts = { dispatches: 0, uploadBytes: 0 };
  const dispatch = passProto.dispatchWorkgroups;
  const writeBuffer = queueProto.writeBuffer;
  passProto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    counts.dispatches++;
    return dispatch.apply(this, args);
  };
  queueProto.writeBuffer = function (this: GPUQueue, ...args: Parameters<GPUQueue['writeBuffer']>) {
    counts.uploadBytes += bytesWritten(args[2], args[3], args[4]);
    return writeBuffer.apply(this, args);
  };
  try {
    return { result: await work(), counts };
  } finally {
    passProto.dispatchWorkgroups = dispatch;
    queueProto.writeBuffer = writeBuffer;
  }
}
