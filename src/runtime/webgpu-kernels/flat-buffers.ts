/// <reference types="@webgpu/types" />
/**
 * Packs many tensors into one flat GPU buffer and unpacks a flat result into fresh tensors, by buffer-to-buffer copies
 * on the backend's command encoder: copies are not dispatches, so a multi-tensor program runs once over the flat data
 * whatever the tensor count. Buffers a copy touches stay owned by the command queue until it is submitted, as tfjs does
 * for a program's inputs and output, so disposing them right after cannot hand them to another tensor too early.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** The parts of tfjs' WebGPUBackend this file uses that its typings keep private. */
interface BackendInternals {
  tensorMap: { get(dataId: object): { resource: GPUBuffer | null } | undefined };
  commandEncoder: GPUCommandEncoder;
  commandQueueOwnedIds: WeakSet<object>;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

const internals = (backend: WebGPUBackend) => backend as unknown as BackendInternals;

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The GPU buffer holding a tensor's data (uploading CPU-side values first). */
function bufferOf(b: BackendInternals, info: tf.TensorInfo): GPUBuffer {
  b.uploadToGPU(info.dataId);
  const buffer = b.tensorMap.get(info.dataId)?.resource;
  if (!buffer) throw new Error('flat buffers: a tensor has no GPU buffer (was it disposed?)');
  return buffer;
}

/** A float32 tensor of `size` elements with its GPU buffer allocated and contents undefined. */
export function emptyFloat32(backend: WebGPUBackend, size: number): tf.TensorInfo {
  const b = internals(backend);
  const info = b.makeTensorInfo([size], 'float32');
  b.uploadToGPU(info.dataId);
  return info;
}

/** Records a copy on the backend's encoder, outside any compute pass, and keeps both buffers until submission. */
function copy(b: BackendInternals, from: tf.TensorInfo, fromOffset: number, to: tf.TensorInfo, toOffset: number, size: number) {
  if (size === 0) return;
  const src = bufferOf(b, from);
  const dst = bufferOf(b, to);
  b.ensureCommandEncoderReady();
  b.endComputePassEncoder();
  b.commandEncoder.copyBufferToBuffer(src, fromOffset * 4, dst, toOffset * 4, size * 4);
  b.commandQueueOwnedIds.add(from.dataId);
  b.commandQueueOwnedIds.add(to.dataId);
}

/** Element offsets of each tensor in the flat layout, and the total. */
export function flatOffsets(shapes: readonly number[][]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const shape of shapes) {
    offsets.push(total);
    total += sizeOf(shape);
  }
  return { offsets, total };
}

/** One float32 tensor holding `tensors` back to back (the caller disposes it). */
export function packFlat(backend: WebGPUBackend, tensors: readonly tf.TensorInfo[]): tf.TensorInfo {
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new Error(`flat buffers hold float32 tensors, got ${t.dtype} of shape [${t.shape}]`);
  }
  const { offsets, total } = flatOffsets(tensors.map((t) => t.shape));
  const flat = emptyFloat32(backend, total);
  tensors.forEach((t, i) => copy(internals(backend), t, 0, flat, offsets[i], sizeOf(t.shape)));
  return flat;
}

/** New tensors of `shapes`, read from `flat` starting at element `start`. */
export function unpackFlat(backend: WebGPUBackend, flat: tf.TensorInfo, shapes: readonly number[][], start = 0): tf.TensorInfo[] {
  const b = internals(backend);
  const { offsets } = flatOffsets(shapes);
  return shapes.map((shape, i) => {
    const out = b.makeTensorInfo(shape, 'float32');
    copy(b, flat, start + offsets[i], out, 0, sizeOf(shape));
    return out;
  });
}
