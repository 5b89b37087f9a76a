/**
 * Slice and SplitV for the wasm backend without tfjs' full copy of the input: its wasm Slice first copies the whole
 * input out of the heap (readSync) for every slice, so splitting a feature map in k parts (CSP blocks split channels)
 * copied it k times. These read through a view of the heap instead and copy only the slice, run by run.
 * Strings are left to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, numericOverride, type WasmBackendLike } from './wasm-backend';

/** Runs shorter than this are copied element by element: subarray()+set() costs more than it saves on them. */
const SHORT_RUN = 32;

function sliceInto(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  // Views only after makeOutput: allocating can grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= x.shape[d];
  }
  const run = size[rank - 1] ?? 1;
  const runs = total / run;
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0); // odometer over all axes but the last
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d] * strides[d];
  let from = base;
  for (let r = 0, to = 0; r < runs; r++, to += run) {
    if (run < SHORT_RUN) {
      for (let k = 0; k < run; k++) dst[to + k] = src[from + k];
    } else {
      dst.set(src.subarray(from, from + run), to);
    }
    // Advance the odometer and the source offset.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      from += strides[d];
      if (index[d] < size[d]) break;
      from -= index[d] * strides[d];
      index[d] = 0;
    }
  }
  return out;
}

export function sliceConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return numericOverride(stock, (x, params) => {
    const { begin, size } = params.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.TensorInfo & { rank: number }, begin, size);
    return sliceInto(asWasmBackend(params.backend), x, b, s);
  });
}

export function splitVConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return numericOverride(stock, (x, params) => {
    const { numOrSizeSplits, axis } = params.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const backend = asWasmBackend(params.backend);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((part) => {
      const size = [...x.shape];
      size[$axis] = part;
      const piece = sliceInto(backend, x, [...begin], size);
      begin[$axis] += part;
      return piece;
    });
  });
}
