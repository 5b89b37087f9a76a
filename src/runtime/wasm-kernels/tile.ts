/**
 * Tile for the wasm backend as block copies: tfjs' wasm Tile maps every output element back to its input index
 * (a division per axis per element), about 100 ns an element. Nearest upsampling (src/model/modules/leaves.ts) tiles
 * every feature map it doubles. Here each input row is copied once and every repetition is one copyWithin of a
 * whole block. Strings are left to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, numericOverride } from './wasm-backend';

type Values = Float32Array | Int32Array | Uint8Array;

/** dst (shape[i]·reps[i]) = src (shape) tiled; both row-major. */
export function tileInto(src: Values, dst: Values, shape: number[], reps: number[]): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  // inSizes[a] / outSizes[a]: elements of one slice of the input / output from axis a inwards.
  const inSizes = new Array<number>(rank + 1).fill(1);
  const outSizes = new Array<number>(rank + 1).fill(1);
  for (let a = rank - 1; a >= 0; a--) {
    inSizes[a] = inSizes[a + 1] * shape[a];
    outSizes[a] = outSizes[a + 1] * shape[a] * reps[a];
  }
  const fill = (axis: number, from: number, to: number): void => {
    if (axis === rank - 1) {
      dst.set(src.subarray(from, from + shape[axis]), to);
    } else {
      for (let i = 0; i < shape[axis]; i++) fill(axis + 1, from + i * inSizes[axis + 1], to + i * outSizes[axis + 1]);
    }
    const block = shape[axis] * outSizes[axis + 1];
    for (let r = 1; r < reps[axis]; r++) dst.copyWithin(to + r * block, to, to + block);
  };
  fill(0, 0, 0);
}

export function tileConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return numericOverride(stock, (x, params) => {
    const { reps } = params.attrs as unknown as { reps: number[] };
    const backend = asWasmBackend(params.backend);
    const out = backend.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
    // Views only after makeOutput: allocating can grow (and detach) the heap.
    if (tf.util.sizeFromShape(out.shape) > 0) tileInto(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), x.shape, reps);
    return out;
  });
}
