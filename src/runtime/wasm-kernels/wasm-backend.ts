/**
 * The slice of tfjs-backend-wasm's BackendWasm that our kernels use, and helpers to call its registered kernels from
 * inside another kernel (kernels get and return TensorInfo, not Tensors, so intermediates are freed by hand).
 */
import * as tf from '@tensorflow/tfjs';

export type DataId = object;

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
  /** One more tensor shares this data (disposeData frees it when the last one goes). */
  incRef(dataId: DataId): void;
  readSync(dataId: DataId): tf.backend_util.BackendValues;
  /** Byte offset of a tensor's data in the heap. */
  getMemoryOffset(dataId: DataId): number;
  /** The emscripten module: its memory is `wasmMemory` in the threaded build, the `memory` export otherwise. */
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

export function asWasmBackend(backend: unknown): WasmBackendLike {
  return backend as WasmBackendLike;
}

/** Runs one of the wasm backend's own kernels; the caller owns (and must release) the returned TensorInfo. */
export function runWasmKernel(
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: WasmBackendLike,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, attrs, backend: backend as unknown as tf.KernelBackend }) as tf.TensorInfo;
}

export function release(backend: WasmBackendLike, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A float32 view of a wasm tensor's data. Take views only after the last allocation: growing the heap detaches them. */
export function f32(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected float32, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The WebAssembly.Memory that holds tfjs' heap, for modules of ours that work on tensors in place. */
export function heapMemory(backend: WasmBackendLike): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) throw new Error("tfjs-backend-wasm's memory was not found (its module layout changed)");
  return memory;
}

/** Byte offset of a tensor's data in tfjs' heap, for our kernels that take pointers. */
export function heapOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}

/** What tfjs passes a kernel function. */
export type KernelParams = Parameters<tf.KernelFunc>[0];

/** A replacement for one of tfjs' wasm kernels over an input `x` that leaves string tensors to the stock kernel. */
export function numericOverride(
  stock: tf.KernelConfig,
  run: (x: tf.TensorInfo, params: KernelParams) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (params: KernelParams) => {
      const { x } = params.inputs as { x: tf.TensorInfo };
      return x.dtype === 'string' ? stock.kernelFunc(params) : run(x, params);
    },
  };
}

/** The attributes every conv gradient kernel receives (tfjs' Conv2DBackpropFilter/Input). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
