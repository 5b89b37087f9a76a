/**
 * Loader for our grouped-convolution WebAssembly SIMD kernels (assembly/kernels.ts, built into kernels.wasm.ts by
 * scripts/build-wasm-kernels.mjs). The module has its own memory, separate from tfjs' heap: each call copies its
 * inputs in (zero-padding the image so the kernels never bounds-check, and each group's channels to a multiple of 4),
 * runs, and copies the result out into the caller's array. The copies are O(size) against the conv's
 * O(size · taps · channels per group) work.
 * Instantiated synchronously on first use: allowed for a module this small in Node and in workers.
 */
import { wasmBase64 } from './kernels.wasm';

/** NHWC input [n, h, w, groups·cig], HWIO filter [kh, kw, cig, groups·cog], output [n, oh, ow, groups·cog]. */
export interface GroupedConvGeometry {
  n: number;
  h: number;
  w: number;
  groups: number;
  cig: number;
  cog: number;
  kh: number;
  kw: number;
  stride: number;
  /** [top, bottom, left, right], each ≥ 0. */
  pad: [number, number, number, number];
}

interface Exports {
  memory: WebAssembly.Memory;
  packForward(w: number, out: number, taps: number, groups: number, cig: number, cog: number, cogP: number): void;
  packBackpropInput(w: number, out: number, taps: number, groups: number, cig: number, cog: number, cigP: number): void;
  unpackFilter(packed: number, w: number, taps: number, groups: number, cig: number, cog: number, cogP: number): void;
  padChannels(src: number, dst: number, pixels: number, groups: number, c: number, cP: number): void;
  cropChannels(src: number, dst: number, pixels: number, groups: number, cP: number, c: number): void;
  forward(src: number, weights: number, dst: number, ...dims: number[]): void;
  backpropInput(src: number, weights: number, dst: number, ...dims: number[]): void;
  backpropFilter(src: number, dy: number, dst: number, ...dims: number[]): void;
}

let instance: Exports | undefined;

function kernels(): Exports {
  if (!instance) {
    const bytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
  }
  return instance;
}

export function outputSize(g: GroupedConvGeometry): { oh: number; ow: number } {
  const [top, bottom, left, right] = g.pad;
  return { oh: Math.floor((g.h + top + bottom - g.kh) / g.stride) + 1, ow: Math.floor((g.w + left + right - g.kw) / g.stride) + 1 };
}

/** Lays out float32 buffers of the given lengths (16-byte aligned) in the module's memory, growing it if needed. */
function layout(lengths: number[]): { k: Exports; heap: Float32Array; at: number[] } {
  const k = kernels();
  const at: number[] = [];
  let end = 16;
  for (const length of lengths) {
    at.push(end);
    end += Math.ceil(length / 4) * 16;
  }
  const missing = end - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  return { k, heap: new Float32Array(k.memory.buffer), at };
}

/**
 * Channels per group as the kernels see them: rounded up to a multiple of 4 (f32x4), zero-padded. Measured on
 * ResNeXt's scale-n and -m shapes (1, 2, 3, 6 per group), padding was faster than scalar loops even at 1 channel.
 */
export function vectorChannels(c: number): number {
  return Math.ceil(c / 4) * 4;
}

/** The kernels' dimension arguments, with the per-group channel counts given. */
function dims(g: GroupedConvGeometry, cig = g.cig, cog = g.cog) {
  const { oh, ow } = outputSize(g);
  const hp = g.h + g.pad[0] + g.pad[1];
  const wp = g.w + g.pad[2] + g.pad[3];
  const taps = g.kh * g.kw;
  const args = [g.n, hp, wp, g.groups, cig, cog, g.kh, g.kw, g.stride, oh, ow];
  return { oh, ow, hp, wp, taps, cin: g.groups * g.cig, cout: g.groups * g.cog, args };
}
/** Copies the image [n, h, w, c] into the zeroed padded buffer [n, hp, wp, c] at byte offset `at`. */
function copyPadded(heap: Float32Array, at: number, x: Float32Array, g: GroupedConvGeometry, hp: number, wp: number, c: number): void {
  const base = at / 4;
  heap.fill(0, base, base + g.n * hp * wp * c);
  const row = g.w * c;
  for (let b = 0; b < g.n; b++) {
    for (let r = 0; r < g.h; r++) {
      const from = (b * g.h + r) * row;
      heap.set(x.subarray(from, from + row), base + ((b * hp + r + g.pad[0]) * wp + g.pad[2]) * c);
    }
  }
}

/** y = grouped conv(x, filter), written into `y` ([n, oh, ow, groups·cog]). */
export function groupedConvForward(x: Float32Array, filter: Float32Array, y: Float32Array, g: GroupedConvGeometry): void {
  const cogP = vectorChannels(g.cog);
  const d = dims(g, g.cig, cogP);
  const pixels = g.n * d.oh * d.ow;
  const packedLength = d.taps * g.cig * g.groups * cogP;
  const padded = cogP !== g.cog;
  const { k, heap, at } = layout([filter.length, packedLength, g.n * d.hp * d.wp * d.cin, pixels * g.groups * cogP, padded ? y.length : 0]);
  const [wRaw, wPacked, xp, yP, out] = at;
  heap.set(filter, wRaw / 4);
  k.packForward(wRaw, wPacked, d.taps, g.groups, g.cig, g.cog, cogP);
  copyPadded(heap, xp, x, g, d.hp, d.wp, d.cin);
  k.forward(xp, wPacked, yP, ...d.args);
  if (padded) k.cropChannels(yP, out, pixels, g.groups, cogP, g.cog);
  const from = (padded ? out : yP) / 4;
  y.set(heap.subarray(from, from + y.length));
}

/** dx of the grouped conv, given dy and the filter, written into `dx` ([n, h, w, groups·cig]). */
export function groupedConvBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, g: GroupedConvGeometry): void {
  const cigP = vectorChannels(g.cig);
  const d = dims(g, cigP, g.cog);
  const paddedPixels = g.n * d.hp * d.wp;
  const packedLength = d.taps * cigP * g.groups * g.cog;
  const padded = cigP !== g.cig;
  const { k, heap, at } = layout([filter.length, packedLength, dy.length, paddedPixels * g.groups * cigP, padded ? paddedPixels * d.cin : 0]);
  const [wRaw, wPacked, dyAt, dxpP, dxpAt] = at;
  heap.set(filter, wRaw / 4);
  k.packBackpropInput(wRaw, wPacked, d.taps, g.groups, g.cig, g.cog, cigP);
  heap.set(dy, dyAt / 4);
  heap.fill(0, dxpP / 4, dxpP / 4 + paddedPixels * g.groups * cigP);
  k.backpropInput(dyAt, wPacked, dxpP, ...d.args);
  if (padded) k.cropChannels(dxpP, dxpAt, paddedPixels, g.groups, cigP, g.cig);
  const dxp = padded ? dxpAt : dxpP;
  // Crop the spatial padding away.
  const row = g.w * d.cin;
  for (let b = 0; b < g.n; b++) {
    for (let r = 0; r < g.h; r++) {
      const from = dxp / 4 + ((b * d.hp + r + g.pad[0]) * d.wp + g.pad[2]) * d.cin;
      dx.set(heap.subarray(from, from + row), (b * g.h + r) * row);
    }
  }
}

/** dW of the grouped conv, given x and dy, written into `dw` (HWIO [kh, kw, cig, groups·cog]). */
export function groupedConvBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, g: GroupedConvGeometry): void {
  const cogP = vectorChannels(g.cog);
  const d = dims(g, g.cig, cogP);
  const pixels = g.n * d.oh * d.ow;
  const packedLength = d.taps * g.cig * g.groups * cogP;
  const padded = cogP !== g.cog;
  const { k, heap, at } = layout([g.n * d.hp * d.wp * d.cin, dy.length, padded ? pixels * g.groups * cogP : 0, packedLength, dw.length]);
  const [xp, dyAt, dyP, packed, out] = at;
  copyPadded(heap, xp, x, g, d.hp, d.wp, d.cin);
  heap.set(dy, dyAt / 4);
  if (padded) k.padChannels(dyAt, dyP, pixels, g.groups, g.cog, cogP);
  heap.fill(0, packed / 4, packed / 4 + packedLength);
  k.backpropFilter(xp, padded ? dyP : dyAt, packed, ...d.args);
  k.unpackFilter(packed, out, d.taps, g.groups, g.cig, g.cog, cogP);
  dw.set(heap.subarray(out / 4, out / 4 + dw.length));
}
