/**
 * Training-mode BatchNorm + activation kernels (AssemblyScript → WebAssembly SIMD), NHWC float32, for the wasm
 * backend. Unlike the grouped conv's module, this one IMPORTS its memory: it is instantiated on tfjs' own wasm heap,
 * so it reads and writes tensors where they lie, with no copies (a BN pass is memory-bound, so a copy in and out would
 * cost as much as the work). It therefore owns no memory: no globals, no data segments, no allocation. All pointers
 * are byte offsets into tfjs' heap, given by ../kernels.ts.
 *
 * A tensor is [pixels, channels] (pixels = batch·height·width). Loops run over pixels, then over channels in f32x4
 * vectors; a channel count that is not a multiple of 4 ends with single lanes. Per-channel sums add each block of
 * pixels in f32 and carry the blocks in f64, so a sum over 10⁵ pixels keeps f32 precision.
 *
 * Activations: 0 linear, 1 ReLU, 2 LeakyReLU (slope 0.1), 3 SiLU, 4 Mish (the codes of ../kernels.ts). SiLU and Mish
 * need exp, which WebAssembly lacks: expApprox is Cephes' single-precision polynomial (relative error ~1e-7).
 */

const RELU: i32 = 1;
const LEAKY: i32 = 2;
const SILU: i32 = 3;
const MISH: i32 = 4;
const LEAKY_SLOPE: f32 = 0.1;
/** Pixels summed in f32 before the block is added to the f64 totals. */
const BLOCK: i32 = 64;

// ---------------------------------------------------------------------------------------------------------------------
// exp and the activations on f32x4.

/** e^x for each lane: 2^n · p(r) with x = n·ln2 + r, |r| ≤ ln2/2; x is clamped to the finite range of f32. */
// @ts-ignore: decorator
@inline function expApprox(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  // r = x − n·ln2, with ln2 split in two so that n·ln2_hi is exact.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n from the exponent bits; n ∈ [−126, 127] after the clamp.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** Mish's tanh(softplus(z)) = e(e + 2) / (e(e + 2) + 2) with e = exp(z); past z = 20 it is 1 in f32 anyway. */
// @ts-ignore: decorator
@inline function mishTanh(z: v128): v128 {
  const e = expApprox(f32x4.min(z, f32x4.splat(20)));
  const n = f32x4.mul(e, f32x4.add(e, f32x4.splat(2)));
  return f32x4.div(n, f32x4.add(n, f32x4.splat(2)));
}

// @ts-ignore: decorator
@inline function sigmoid(z: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expApprox(f32x4.neg(z))));
}

// @ts-ignore: decorator
@inline function activate(z: v128, act: i32): v128 {
  if (act == RELU) return f32x4.max(z, f32x4.splat(0));
  if (act == LEAKY) return f32x4.max(z, f32x4.mul(z, f32x4.splat(LEAKY_SLOPE)));
  if (act == SILU) return f32x4.mul(z, sigmoid(z));
  if (act == MISH) return f32x4.mul(z, mishTanh(z));
  return z; // 0: linear
}

/** dy · act'(z). */
// @ts-ignore: decorator
@inline function activationGrad(dy: v128, z: v128, act: i32): v128 {
  if (act == RELU) return v128.and(dy, f32x4.gt(z, f32x4.splat(0)));
  if (act == LEAKY) return v128.bitselect(dy, f32x4.mul(dy, f32x4.splat(LEAKY_SLOPE)), f32x4.gt(z, f32x4.splat(0)));
  if (act == SILU) {
    // silu' = s·(1 + z·(1 − s))
    const s = sigmoid(z);
    return f32x4.mul(dy, f32x4.mul(s, f32x4.add(f32x4.splat(1), f32x4.mul(z, f32x4.sub(f32x4.splat(1), s)))));
  }
  if (act == MISH) {
    // mish' = t + z·sigmoid(z)·(1 − t²)
    const t = mishTanh(z);
    const zs = f32x4.mul(z, sigmoid(z));
    return f32x4.mul(dy, f32x4.add(t, f32x4.mul(zs, f32x4.sub(f32x4.splat(1), f32x4.mul(t, t)))));
  }
  return dy; // 0: linear
}

// ---------------------------------------------------------------------------------------------------------------------
// Per-channel access. A channel vector at channel c is 4 lanes; the single-lane tail loads one float into lane 0.

// @ts-ignore: decorator
@inline function loadLane(ptr: usize): v128 {
  return f32x4.splat(load<f32>(ptr));
}

// @ts-ignore: decorator
@inline function storeLane(ptr: usize, v: v128): void {
  store<f32>(ptr, f32x4.extract_lane(v, 0));
}

/** totals[c] (f64) += partial[c] (f32); partial[c] = 0. */
function flush(partial: usize, totals: usize, channels: i32): void {
  for (let c = 0; c < channels; c++) {
    const t = totals + (<usize>c << 3);
    const p = partial + (<usize>c << 2);
    store<f64>(t, load<f64>(t) + <f64>load<f32>(p));
    store<f32>(p, 0);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Statistics.

/**
 * totals[c] = Σ_p (x[p, c] − center[c])^power for power 1 or 2 (center = 0 gives plain sums). partial: scratch f32[C],
 * totals: f64[C], both zeroed by the caller.
 */
export function channelMoment(x: usize, center: usize, pixels: i32, channels: i32, power: i32, partial: usize, totals: usize): void {
  const vectors = channels & ~3;
  const row = <usize>channels << 2;
  for (let p = 0; p < pixels; p++) {
    let c = 0;
    for (; c < vectors; c += 4) {
      const at = <usize>c << 2;
      let d = f32x4.sub(v128.load(x + at), v128.load(center + at));
      if (power == 2) d = f32x4.mul(d, d);
      v128.store(partial + at, f32x4.add(v128.load(partial + at), d));
    }
    for (; c < channels; c++) {
      const at = <usize>c << 2;
      let d = load<f32>(x + at) - load<f32>(center + at);
      if (power == 2) d *= d;
      store<f32>(partial + at, load<f32>(partial + at) + d);
    }
    x += row;
    if ((p + 1) % BLOCK == 0) flush(partial, totals, channels);
  }
  flush(partial, totals, channels);
}

// ---------------------------------------------------------------------------------------------------------------------
// Forward: y = act((x − μ)·r·γ + β) with per-channel scale = r·γ.

export function normalizeActivate(x: usize, y: usize, mean: usize, scale: usize, beta: usize, pixels: i32, channels: i32, act: i32): void {
  const vectors = channels & ~3;
  const row = <usize>channels << 2;
  for (let p = 0; p < pixels; p++) {
    let c = 0;
    for (; c < vectors; c += 4) {
      const at = <usize>c << 2;
      const z = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + at), v128.load(mean + at)), v128.load(scale + at)), v128.load(beta + at));
      v128.store(y + at, activate(z, act));
    }
    for (; c < channels; c++) {
      const at = <usize>c << 2;
      const z = f32x4.add(f32x4.mul(f32x4.sub(loadLane(x + at), loadLane(mean + at)), loadLane(scale + at)), loadLane(beta + at));
      storeLane(y + at, activate(z, act));
    }
    x += row;
    y += row;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Backward, in two passes:
//   1. dz = dy·act'(z), written to dx; sums[c] = Σ dz, sums[C + c] = Σ dz·x̂      (x̂ = (x − μ)·r, z = x̂·γ + β)
//   2. dx = a·dz − b·x̂ − d per channel, with a = γ·r, b = γ·r·Σdz·x̂/N, d = γ·r·Σdz/N (computed by the caller).

export function gradActivationSums(
  dy: usize, x: usize, dz: usize, mean: usize, rstd: usize, gamma: usize, beta: usize,
  pixels: i32, channels: i32, act: i32, partial: usize, totals: usize,
): void {
  const vectors = channels & ~3;
  const row = <usize>channels << 2;
  const second = row; // partial and totals hold Σdz in [0, C) and Σdz·x̂ in [C, 2C)
  for (let p = 0; p < pixels; p++) {
    let c = 0;
    for (; c < vectors; c += 4) {
      const at = <usize>c << 2;
      const xh = f32x4.mul(f32x4.sub(v128.load(x + at), v128.load(mean + at)), v128.load(rstd + at));
      const z = f32x4.add(f32x4.mul(xh, v128.load(gamma + at)), v128.load(beta + at));
      const g = activationGrad(v128.load(dy + at), z, act);
      v128.store(dz + at, g);
      v128.store(partial + at, f32x4.add(v128.load(partial + at), g));
      v128.store(partial + second + at, f32x4.add(v128.load(partial + second + at), f32x4.mul(g, xh)));
    }
    for (; c < channels; c++) {
      const at = <usize>c << 2;
      const xh = f32x4.mul(f32x4.sub(loadLane(x + at), loadLane(mean + at)), loadLane(rstd + at));
      const z = f32x4.add(f32x4.mul(xh, loadLane(gamma + at)), loadLane(beta + at));
      const g = f32x4.extract_lane(activationGrad(loadLane(dy + at), z, act), 0);
      store<f32>(dz + at, g);
      store<f32>(partial + at, load<f32>(partial + at) + g);
      store<f32>(partial + second + at, load<f32>(partial + second + at) + g * f32x4.extract_lane(xh, 0));
    }
    dy += row;
    x += row;
    dz += row;
    if ((p + 1) % BLOCK == 0) flush(partial, totals, channels << 1);
  }
  flush(partial, totals, channels << 1);
}

/** dx = a·dz − b·x̂ − d; dz and dx may be the same buffer. */
export function gradInput(
  dz: usize, x: usize, dx: usize, mean: usize, rstd: usize, a: usize, b: usize, d: usize, pixels: i32, channels: i32,
): void {
  const vectors = channels & ~3;
  const row = <usize>channels << 2;
  for (let p = 0; p < pixels; p++) {
    let c = 0;
    for (; c < vectors; c += 4) {
      const at = <usize>c << 2;
      const xh = f32x4.mul(f32x4.sub(v128.load(x + at), v128.load(mean + at)), v128.load(rstd + at));
      const v = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(a + at), v128.load(dz + at)), f32x4.mul(v128.load(b + at), xh)), v128.load(d + at));
      v128.store(dx + at, v);
    }
    for (; c < channels; c++) {
      const at = <usize>c << 2;
      const xh = (load<f32>(x + at) - load<f32>(mean + at)) * load<f32>(rstd + at);
      store<f32>(dx + at, load<f32>(a + at) * load<f32>(dz + at) - load<f32>(b + at) * xh - load<f32>(d + at));
    }
    dz += row;
    x += row;
    dx += row;
  }
}
