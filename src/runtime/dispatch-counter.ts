/// <reference types="@webgpu/types" />
/**
 * Counts what a train step costs in launches, not time: the figures that decide WebGPU speed on a real GPU (each
 * dispatch carries tens of µs of driver overhead) and wasm speed (each kernel call carries JS overhead).
 *
 * - dispatches: on webgpu, `dispatchWorkgroups` calls on any compute pass of the device (wrapped on the prototype, so
 *   programs outside tfjs count too); on wasm and cpu, kernel calls.
 * - kernels: tfjs kernels the engine ran (every runKernel, gradients included; kernels that call other kernels'
 *   functions inside a backend count once).
 * - upload bytes (webgpu only): host → GPU bytes, by `GPUQueue.writeBuffer` (uniforms) and by tfjs' mapped-buffer
 *   uploads of tensor values.
 * Counting is deterministic for a given graph and backend, so a test can hold a count under a fixed limit.
 */
import * as tf from '@tensorflow/tfjs';

export interface StepCounts {
  dispatches_per_step: number;
  kernels_per_step: number;
  /** null off webgpu. */
  upload_bytes_per_step: number | null;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Replaces `owner[key]` with a counting wrapper; the returned function restores it. */
function wrapMethod(owner: object, key: string, before: (args: unknown[], self: unknown) => void): () => void {
  const record = owner as Record<string, AnyFn>;
  const own = Object.prototype.hasOwnProperty.call(owner, key);
  const original = record[key];
  if (typeof original !== 'function') throw new Error(`dispatch counter: ${key} is not a method here`);
  record[key] = function (this: unknown, ...args: unknown[]) {
    before(args, this);
    return original.apply(this, args);
  };
  return () => {
    if (own) record[key] = original;
    else delete record[key];
  };
}

/** Bytes one writeBuffer(buffer, offset, data, dataOffset?, size?) call sends (offsets and size count elements of typed arrays). */
export function writeBufferBytes(args: unknown[]): number {
  const data = args[2] as ArrayBufferView | ArrayBuffer;
  const unit = (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  const dataOffset = typeof args[3] === 'number' ? args[3] : 0;
  if (typeof args[4] === 'number') return args[4] * unit;
  return data.byteLength - dataOffset * unit;
}

interface WebGpuInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: object): { values: unknown; dtype: string; shape: number[] } | undefined };
}

/** The prototypes to wrap on webgpu, read off live objects (Dawn in Node and browsers name them alike, but need not be globals). */
function webGpuPrototypes(device: GPUDevice): { queue: object; pass: object } {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.end();
  return { queue: Object.getPrototypeOf(device.queue) as object, pass: Object.getPrototypeOf(pass) as object };
}

/** Runs `fn` (one train step) and counts its dispatches, kernels and uploads on the current backend. */
export async function stepCounts(fn: () => unknown): Promise<StepCounts> {
  const backendName = tf.getBackend();
  const engine = tf.engine();
  let kernels = 0;
  let dispatches = 0;
  let uploads = 0;
  const restore: (() => void)[] = [];
  restore.push(wrapMethod(engine, 'runKernelFunc', () => kernels++));
  const webgpu = backendName === 'webgpu';
  if (webgpu) {
    const backend = engine.backend as unknown as WebGpuInternals;
    const { queue, pass } = webGpuPrototypes(backend.device);
    restore.push(wrapMethod(pass, 'dispatchWorkgroups', () => dispatches++));
    restore.push(wrapMethod(queue, 'writeBuffer', (args) => (uploads += writeBufferBytes(args))));
    restore.push(
      wrapMethod(backend, 'uploadToGPU', (args) => {
        const data = backend.tensorMap.get(args[0] as object);
        if (data?.values) uploads += (data.values as ArrayBufferView).byteLength;
      }),
    );
  }
  try {
    await fn();
  } finally {
    // Restore in reverse, so a method wrapped twice unwinds to its original.
    for (const undo of restore.reverse()) undo();
  }
  return {
    dispatches_per_step: webgpu ? dispatches : kernels,
    kernels_per_step: kernels,
    upload_bytes_per_step: webgpu ? uploads : null,
  };
}
