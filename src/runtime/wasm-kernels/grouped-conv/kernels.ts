/**
 * Driver of our grouped-convolution WebAssembly SIMD kernels (assembly/kernels.ts, built into kernels.wasm.ts by
 * scripts/build-wasm-kernels.mjs), on tfjs' heap in place (../heap-module.ts): the caller passes tensors as pointers,
 * and a `Scratch` that allocates the padded image, packed weights and partial gradients there too.
 * Work is split by image across the kernel threads where they run (../kernel-threads.ts): forward and input gradient
 * write disjoint images; the filter gradient sums one partial per thread.
 */
import { heapModule } from '../heap-module';
import { kernelThreadCount, ranges, runJobs, type KernelJob } from '../kernel-threads';
import * as bytes from './kernels.wasm';

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

/** Float32 buffers in tfjs' heap for one kernel call: `alloc` returns a byte offset; `free` releases them all. */
export interface Scratch {
  memory: WebAssembly.Memory;
  alloc(floats: number): number;
  free(): void;
}

interface Exports {
  packForward(w: number, out: number, taps: number, groups: number, cig: number, cog: number, cogP: number): void;
  packBackpropInput(w: number, out: number, taps: number, groups: number, cig: number, cog: number, cigP: number): void;
  unpackFilter(packed: number, w: number, taps: number, groups: number, cig: number, cog: number, cogP: number): void;
  padChannels(src: number, dst: number, pixels: number, groups: number, c: number, cP: number): void;
  cropChannels(src: number, dst: number, pixels: number, groups: number, cP: number, c: number): void;
  padImage(src: number, dst: number, n: number, h: number, w: number, c: number, hp: number, wp: number, top: number, left: number): void;
  cropImage(src: number, dst: number, n: number, h: number, w: number, c: number, hp: number, wp: number, top: number, left: number): void;
  zero(dst: number, count: number): void;
  addInto(dst: number, src: number, count: number): void;
}

export function outputSize(g: GroupedConvGeometry): { oh: number; ow: number } {
  const [top, bottom, left, right] = g.pad;
  return { oh: Math.floor((g.h + top + bottom - g.kh) / g.stride) + 1, ow: Math.floor((g.w + left + right - g.kw) / g.stride) + 1 };
}

/**
 * Channels per group as the kernels see them: rounded up to a multiple of 4 (f32x4), zero-padded. Measured on
 * ResNeXt's scale-n and -m shapes (1, 2, 3, 6 per group), padding was faster than scalar loops even at 1 channel.
 */
export function vectorChannels(c: number): number {
  return Math.ceil(c / 4) * 4;
}

/** The kernels' dimension arguments after the image count, with the per-group channel counts given. */
function dims(g: GroupedConvGeometry, cig = g.cig, cog = g.cog) {
  const { oh, ow } = outputSize(g);
  const hp = g.h + g.pad[0] + g.pad[1];
  const wp = g.w + g.pad[2] + g.pad[3];
  const taps = g.kh * g.kw;
  const args = [hp, wp, g.groups, cig, cog, g.kh, g.kw, g.stride, oh, ow];
  return { oh, ow, hp, wp, taps, cin: g.groups * g.cig, cout: g.groups * g.cog, args };
}

/** Multiply-adds below which a conv runs on one thread (a wake costs about as much as this many). */
const MIN_SPLIT_MACS = 1 << 19;

/** The conv's images as one run per thread that takes part. */
function imageRuns(memory: WebAssembly.Memory, g: GroupedConvGeometry): { first: number; count: number }[] {
  const { oh, ow } = outputSize(g);
  const macs = g.n * oh * ow * g.kh * g.kw * g.cig * g.cog * g.groups;
  return ranges(g.n, kernelThreadCount(memory, macs, MIN_SPLIT_MACS));
}

/** The image padded as the kernels read it: a scratch copy where the conv pads, else the tensor itself. */
function paddedImage(k: Exports, scratch: Scratch, x: number, g: GroupedConvGeometry, hp: number, wp: number, c: number): number {
  if (hp === g.h && wp === g.w) return x;
  const xp = scratch.alloc(g.n * hp * wp * c);
  k.padImage(x, xp, g.n, g.h, g.w, c, hp, wp, g.pad[0], g.pad[2]);
  return xp;
}

/** y = grouped conv(x, filter), written into `y` ([n, oh, ow, groups·cog]); all three are heap pointers. */
export function groupedConvForward(scratch: Scratch, x: number, filter: number, y: number, g: GroupedConvGeometry): void {
  const k = heapModule<Exports>(bytes, scratch.memory);
  const cogP = vectorChannels(g.cog);
  const d = dims(g, g.cig, cogP);
  const padded = cogP !== g.cog;
  const wPacked = scratch.alloc(d.taps * g.cig * g.groups * cogP);
  k.packForward(filter, wPacked, d.taps, g.groups, g.cig, g.cog, cogP);
  const xp = paddedImage(k, scratch, x, g, d.hp, d.wp, d.cin);
  const pixels = g.n * d.oh * d.ow;
  const yP = padded ? scratch.alloc(pixels * g.groups * cogP) : y;
  const jobs: KernelJob[] = imageRuns(scratch.memory, g).map(({ first, count }) => ({
    fn: 'forward',
    args: [xp + 4 * first * d.hp * d.wp * d.cin, wPacked, yP + 4 * first * d.oh * d.ow * g.groups * cogP, count, ...d.args],
  }));
  runJobs(bytes, scratch.memory, jobs);
  if (padded) k.cropChannels(yP, y, pixels, g.groups, cogP, g.cog);
}

/** dx of the grouped conv, given dy and the filter, written into `dx` ([n, h, w, groups·cig]). */
export function groupedConvBackpropInput(scratch: Scratch, dy: number, filter: number, dx: number, g: GroupedConvGeometry): void {
  const k = heapModule<Exports>(bytes, scratch.memory);
  const cigP = vectorChannels(g.cig);
  const d = dims(g, cigP, g.cog);
  const paddedPixels = g.n * d.hp * d.wp;
  const channelsPadded = cigP !== g.cig;
  const spatiallyPadded = d.hp !== g.h || d.wp !== g.w;
  const wPacked = scratch.alloc(d.taps * cigP * g.groups * g.cog);
  k.packBackpropInput(filter, wPacked, d.taps, g.groups, g.cig, g.cog, cigP);
  // The kernels scatter into a zeroed, padded gradient; where nothing is padded that is dx itself.
  const dxpP = channelsPadded || spatiallyPadded ? scratch.alloc(paddedPixels * g.groups * cigP) : dx;
  k.zero(dxpP, paddedPixels * g.groups * cigP);
  const jobs: KernelJob[] = imageRuns(scratch.memory, g).map(({ first, count }) => ({
    fn: 'backpropInput',
    args: [dy + 4 * first * d.oh * d.ow * d.cout, wPacked, dxpP + 4 * first * d.hp * d.wp * g.groups * cigP, count, ...d.args],
  }));
  runJobs(bytes, scratch.memory, jobs);
  let dxp = dxpP;
  if (channelsPadded) {
    dxp = spatiallyPadded ? scratch.alloc(paddedPixels * d.cin) : dx;
    k.cropChannels(dxpP, dxp, paddedPixels, g.groups, cigP, g.cig);
  }
  if (spatiallyPadded) k.cropImage(dxp, dx, g.n, g.h, g.w, d.cin, d.hp, d.wp, g.pad[0], g.pad[2]);
}

/** dW of the grouped conv, given x and dy, written into `dw` (HWIO [kh, kw, cig, groups·cog]). */
export function groupedConvBackpropFilter(scratch: Scratch, x: number, dy: number, dw: number, g: GroupedConvGeometry): void {
  const k = heapModule<Exports>(bytes, scratch.memory);
  const cogP = vectorChannels(g.cog);
  const d = dims(g, g.cig, cogP);
  const pixels = g.n * d.oh * d.ow;
  const packedLength = d.taps * g.cig * g.groups * cogP;
  const xp = paddedImage(k, scratch, x, g, d.hp, d.wp, d.cin);
  let dyP = dy;
  if (cogP !== g.cog) {
    dyP = scratch.alloc(pixels * g.groups * cogP);
    k.padChannels(dy, dyP, pixels, g.groups, g.cog, cogP);
  }
  const runs = imageRuns(scratch.memory, g);
  // One zeroed accumulator per thread: the first is the result, the others are added into it.
  const partials = runs.map(() => scratch.alloc(packedLength));
  for (const partial of partials) k.zero(partial, packedLength);
  const jobs: KernelJob[] = runs.map(({ first, count }, p) => ({
    fn: 'backpropFilter',
    args: [xp + 4 * first * d.hp * d.wp * d.cin, dyP + 4 * first * d.oh * d.ow * g.groups * cogP, partials[p], count, ...d.args],
  }));
  runJobs(bytes, scratch.memory, jobs);
  for (const partial of partials.slice(1)) k.addInto(partials[0], partial, packedLength);
  k.unpackFilter(partials[0], dw, d.taps, g.groups, g.cig, g.cog, cogP);
}
