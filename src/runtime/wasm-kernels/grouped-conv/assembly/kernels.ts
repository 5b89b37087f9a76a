/**
 * Grouped 2-D convolution kernels (AssemblyScript → WebAssembly SIMD), NHWC float32, for ResNeXt's grouped 3x3.
 * Compiled by scripts/build-wasm-kernels.mjs; driven by ../kernels.ts. The module imports tfjs' wasm memory and owns
 * none: every pointer is a byte offset into tfjs' heap, where the caller allocates the scratch buffers.
 *
 * Layouts (G groups, cig/cog channels per group, T = kh·kw taps):
 * - xp:  input, zero-padded by the caller to [n, hp, wp, G·cig], so no tap ever needs a bounds check.
 * - y/dy: [n, oh, ow, G·cog].
 * - forward weights [G][T][cig][cog] and input-gradient weights [G][T][cog][cig]: one group's filter is contiguous and
 *   its innermost axis is the one the kernel vectorises over.
 * - filter gradient accumulates into [G][T][cig][cog], unpacked to HWIO afterwards.
 * Every kernel works on f32x4 vectors of channels, so the vectorised count (cog; cig for the input gradient) must be
 * a multiple of 4: the caller zero-pads other counts (padChannels, the pack functions). That beat scalar loops even
 * for 1 and 2 channels per group. The forward and input-gradient kernels compute 4 output pixels at once, so each
 * weight vector loaded feeds four independent accumulators and no add waits on the previous one.
 */

// ---------------------------------------------------------------------------------------------------------------------
// Weight repacking (HWIO [T][cig][G·cog] ↔ per-group layouts) and channel padding. A per-group channel count that is
// not a multiple of 4 is padded with zeros up to one (cigP / cogP): the padded conv computes the same values plus
// zeros.

/** HWIO → [G][T][cig][cogP], zero in o ≥ cog. */
export function packForward(w: usize, out: usize, taps: i32, groups: i32, cig: i32, cog: i32, cogP: i32): void {
  const cout = groups * cog;
  for (let g = 0; g < groups; g++) {
    for (let t = 0; t < taps; t++) {
      for (let i = 0; i < cig; i++) {
        const src = w + ((((t * cig + i) * cout) + g * cog) << 2);
        memory.copy(out, src, cog << 2);
        memory.fill(out + (cog << 2), 0, (cogP - cog) << 2);
        out += cogP << 2;
      }
    }
  }
}

/** HWIO → [G][T][cog][cigP] (the input gradient contracts over cog), zero in i ≥ cig. */
export function packBackpropInput(w: usize, out: usize, taps: i32, groups: i32, cig: i32, cog: i32, cigP: i32): void {
  const cout = groups * cog;
  for (let g = 0; g < groups; g++) {
    for (let t = 0; t < taps; t++) {
      for (let o = 0; o < cog; o++) {
        for (let i = 0; i < cig; i++) {
          store<f32>(out + (i << 2), load<f32>(w + (((t * cig + i) * cout + g * cog + o) << 2)));
        }
        memory.fill(out + (cig << 2), 0, (cigP - cig) << 2);
        out += cigP << 2;
      }
    }
  }
}

/** [G][T][cig][cogP] → HWIO, dropping o ≥ cog. */
export function unpackFilter(packed: usize, w: usize, taps: i32, groups: i32, cig: i32, cog: i32, cogP: i32): void {
  const cout = groups * cog;
  for (let g = 0; g < groups; g++) {
    for (let t = 0; t < taps; t++) {
      for (let i = 0; i < cig; i++) {
        memory.copy(w + ((((t * cig + i) * cout) + g * cog) << 2), packed, cog << 2);
        packed += cogP << 2;
      }
    }
  }
}

/** [pixels][G][c] → [pixels][G][cP], zero in the padding. */
export function padChannels(src: usize, dst: usize, pixels: i32, groups: i32, c: i32, cP: i32): void {
  const runs = pixels * groups;
  for (let r = 0; r < runs; r++) {
    memory.copy(dst, src, c << 2);
    memory.fill(dst + (c << 2), 0, (cP - c) << 2);
    src += c << 2;
    dst += cP << 2;
  }
}

/** [pixels][G][cP] → [pixels][G][c]. */
export function cropChannels(src: usize, dst: usize, pixels: i32, groups: i32, cP: i32, c: i32): void {
  const runs = pixels * groups;
  for (let r = 0; r < runs; r++) {
    memory.copy(dst, src, c << 2);
    src += cP << 2;
    dst += c << 2;
  }
}

/** The image [n, h, w, c] into [n, hp, wp, c], offset by (top, left), with zeros around it. */
export function padImage(src: usize, dst: usize, n: i32, h: i32, w: i32, c: i32, hp: i32, wp: i32, top: i32, left: i32): void {
  memory.fill(dst, 0, <usize>(n * hp * wp * c) << 2);
  const row = <usize>(w * c) << 2;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      memory.copy(dst + ((((b * hp + r + top) * wp + left) * c) << 2), src + (((b * h + r) * w * c) << 2), row);
    }
  }
}

/** The inverse of padImage: the [n, h, w, c] window at (top, left) of [n, hp, wp, c]. */
export function cropImage(src: usize, dst: usize, n: i32, h: i32, w: i32, c: i32, hp: i32, wp: i32, top: i32, left: i32): void {
  const row = <usize>(w * c) << 2;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      memory.copy(dst + (((b * h + r) * w * c) << 2), src + ((((b * hp + r + top) * wp + left) * c) << 2), row);
    }
  }
}

/** `count` float32 zeros at dst. */
export function zero(dst: usize, count: i32): void {
  memory.fill(dst, 0, <usize>count << 2);
}

/** dst += src over `count` float32 values (the threads' partial filter gradients, summed). */
export function addInto(dst: usize, src: usize, count: i32): void {
  const vectors = count & ~3;
  let i = 0;
  for (; i < vectors; i += 4) {
    const at = <usize>i << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Forward: y[b, oy, ox, g·cog + o] = Σ_{ky, kx, i} xp[b, oy·s + ky, ox·s + kx, g·cig + i] · W[g][ky·kw + kx][i][o]

export function forward(
  xp: usize, wf: usize, y: usize,
  n: i32, hp: i32, wp: i32, groups: i32, cig: i32, cog: i32, kh: i32, kw: i32, s: i32, oh: i32, ow: i32,
): void {
  const cin = groups * cig;
  const cout = groups * cog;
  const wGroup = (kh * kw * cig * cog) << 2;
  const xStep = (s * cin) << 2; // bytes between the inputs of neighbouring output pixels
  const rowIn = (wp * cin) << 2;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const xRow = xp + (((b * hp + oy * s) * wp * cin) << 2);
      const yRow = y + (((b * oh + oy) * ow * cout) << 2);
      for (let g = 0; g < groups; g++) {
        const xg = xRow + ((g * cig) << 2);
        const wg = wf + g * wGroup;
        const yg = yRow + ((g * cog) << 2);
        forwardRow(xg, wg, yg, cig, cog, cin, cout, kh, kw, ow, xStep, rowIn);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function forwardRow(
  xg: usize, wg: usize, yg: usize, cig: i32, cog: i32, cin: i32, cout: i32, kh: i32, kw: i32, ow: i32,
  xStep: usize, rowIn: usize,
): void {
  const wRow = (cog << 2) as usize;
  const tapStep = (cin << 2) as usize;
  const yStep = (cout << 2) as usize;
  let ob = 0;
  // Eight output channels at once where there are (dense convs): each input value loaded feeds two weight vectors.
  for (; ob + 8 <= cog; ob += 8) {
    let ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
      let wt = wg + (ob << 2);
      const x0 = xg + <usize>ox * xStep;
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let xi = xt;
          for (let i = 0; i < cig; i++) {
            const w0 = v128.load(wt);
            const w1 = v128.load(wt, 16);
            const s0 = v128.load32_splat(xi);
            const s1 = v128.load32_splat(xi + xStep);
            const s2 = v128.load32_splat(xi + 2 * xStep);
            const s3 = v128.load32_splat(xi + 3 * xStep);
            a0 = f32x4.add(a0, f32x4.mul(s0, w0));
            b0 = f32x4.add(b0, f32x4.mul(s0, w1));
            a1 = f32x4.add(a1, f32x4.mul(s1, w0));
            b1 = f32x4.add(b1, f32x4.mul(s1, w1));
            a2 = f32x4.add(a2, f32x4.mul(s2, w0));
            b2 = f32x4.add(b2, f32x4.mul(s2, w1));
            a3 = f32x4.add(a3, f32x4.mul(s3, w0));
            b3 = f32x4.add(b3, f32x4.mul(s3, w1));
            xi += 4;
            wt += wRow;
          }
          xt += tapStep;
        }
      }
      const yo = yg + (((ox * cout) + ob) << 2);
      v128.store(yo, a0);
      v128.store(yo, b0, 16);
      v128.store(yo + yStep, a1);
      v128.store(yo + yStep, b1, 16);
      v128.store(yo + 2 * yStep, a2);
      v128.store(yo + 2 * yStep, b2, 16);
      v128.store(yo + 3 * yStep, a3);
      v128.store(yo + 3 * yStep, b3, 16);
    }
    for (; ox < ow; ox++) {
      let a = f32x4.splat(0), b = f32x4.splat(0);
      let wt = wg + (ob << 2);
      const x0 = xg + <usize>ox * xStep;
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          for (let i = 0; i < cig; i++) {
            const v = v128.load32_splat(xt + (i << 2));
            a = f32x4.add(a, f32x4.mul(v, v128.load(wt)));
            b = f32x4.add(b, f32x4.mul(v, v128.load(wt, 16)));
            wt += wRow;
          }
          xt += tapStep;
        }
      }
      const yo = yg + (((ox * cout) + ob) << 2);
      v128.store(yo, a);
      v128.store(yo, b, 16);
    }
  }
  for (; ob < cog; ob += 4) {
    let ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let wt = wg + (ob << 2);
      const x0 = xg + <usize>ox * xStep;
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let xi = xt;
          for (let i = 0; i < cig; i++) {
            const w = v128.load(wt);
            a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xi), w));
            a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xi + xStep), w));
            a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xi + 2 * xStep), w));
            a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xi + 3 * xStep), w));
            xi += 4;
            wt += wRow;
          }
          xt += tapStep;
        }
      }
      const yo = yg + (((ox * cout) + ob) << 2);
      v128.store(yo, a0);
      v128.store(yo + yStep, a1);
      v128.store(yo + 2 * yStep, a2);
      v128.store(yo + 3 * yStep, a3);
    }
    for (; ox < ow; ox++) {
      let a = f32x4.splat(0);
      let wt = wg + (ob << 2);
      const x0 = xg + <usize>ox * xStep;
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          for (let i = 0; i < cig; i++) {
            a = f32x4.add(a, f32x4.mul(v128.load32_splat(xt + (i << 2)), v128.load(wt)));
            wt += wRow;
          }
          xt += tapStep;
        }
      }
      v128.store(yg + (((ox * cout) + ob) << 2), a);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Input gradient, scattered from each output pixel (dxp is the zeroed, padded input gradient; any stride works):
// dxp[b, oy·s + ky, ox·s + kx, g·cig + i] += Σ_o dy[b, oy, ox, g·cog + o] · W[g][ky·kw + kx][o][i]

export function backpropInput(
  dy: usize, wb: usize, dxp: usize,
  n: i32, hp: i32, wp: i32, groups: i32, cig: i32, cog: i32, kh: i32, kw: i32, s: i32, oh: i32, ow: i32,
): void {
  const cin = groups * cig;
  const cout = groups * cog;
  const wGroup = (kh * kw * cig * cog) << 2;
  const xStep = (s * cin) << 2;
  const rowIn = (wp * cin) << 2;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const xRow = dxp + (((b * hp + oy * s) * wp * cin) << 2);
      const dyRow = dy + (((b * oh + oy) * ow * cout) << 2);
      for (let g = 0; g < groups; g++) {
        const xg = xRow + ((g * cig) << 2);
        const wg = wb + g * wGroup;
        const dg = dyRow + ((g * cog) << 2);
        backpropInputRow(dg, wg, xg, cig, cog, cin, cout, kh, kw, ow, xStep, rowIn);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function backpropInputRow(
  dg: usize, wg: usize, xg: usize, cig: i32, cog: i32, cin: i32, cout: i32, kh: i32, kw: i32, ow: i32,
  xStep: usize, rowIn: usize,
): void {
  const dyStep = (cout << 2) as usize;
  const wRow = (cig << 2) as usize;
  const tapStep = (cin << 2) as usize;
  const wTap = (cog * cig) << 2;
  let ib = 0;
  // Eight input channels at once where there are (dense convs): each dy value loaded feeds two weight vectors.
  for (; ib + 8 <= cig; ib += 8) {
    let ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
      const d0 = dg + <usize>ox * dyStep;
      const x0 = xg + <usize>ox * xStep + (ib << 2);
      let wtap = wg + (ib << 2);
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
          let wt = wtap;
          let d = d0;
          for (let o = 0; o < cog; o++) {
            const w0 = v128.load(wt);
            const w1 = v128.load(wt, 16);
            const s0 = v128.load32_splat(d);
            const s1 = v128.load32_splat(d + dyStep);
            const s2 = v128.load32_splat(d + 2 * dyStep);
            const s3 = v128.load32_splat(d + 3 * dyStep);
            a0 = f32x4.add(a0, f32x4.mul(s0, w0));
            b0 = f32x4.add(b0, f32x4.mul(s0, w1));
            a1 = f32x4.add(a1, f32x4.mul(s1, w0));
            b1 = f32x4.add(b1, f32x4.mul(s1, w1));
            a2 = f32x4.add(a2, f32x4.mul(s2, w0));
            b2 = f32x4.add(b2, f32x4.mul(s2, w1));
            a3 = f32x4.add(a3, f32x4.mul(s3, w0));
            b3 = f32x4.add(b3, f32x4.mul(s3, w1));
            d += 4;
            wt += wRow;
          }
          v128.store(xt, f32x4.add(v128.load(xt), a0));
          v128.store(xt, f32x4.add(v128.load(xt, 16), b0), 16);
          v128.store(xt + xStep, f32x4.add(v128.load(xt + xStep), a1));
          v128.store(xt + xStep, f32x4.add(v128.load(xt + xStep, 16), b1), 16);
          v128.store(xt + 2 * xStep, f32x4.add(v128.load(xt + 2 * xStep), a2));
          v128.store(xt + 2 * xStep, f32x4.add(v128.load(xt + 2 * xStep, 16), b2), 16);
          v128.store(xt + 3 * xStep, f32x4.add(v128.load(xt + 3 * xStep), a3));
          v128.store(xt + 3 * xStep, f32x4.add(v128.load(xt + 3 * xStep, 16), b3), 16);
          xt += tapStep;
          wtap += wTap;
        }
      }
    }
    for (; ox < ow; ox++) {
      const d0 = dg + <usize>ox * dyStep;
      const x0 = xg + <usize>ox * xStep + (ib << 2);
      let wtap = wg + (ib << 2);
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let a = f32x4.splat(0), b = f32x4.splat(0);
          let wt = wtap;
          for (let o = 0; o < cog; o++) {
            const v = v128.load32_splat(d0 + (o << 2));
            a = f32x4.add(a, f32x4.mul(v, v128.load(wt)));
            b = f32x4.add(b, f32x4.mul(v, v128.load(wt, 16)));
            wt += wRow;
          }
          v128.store(xt, f32x4.add(v128.load(xt), a));
          v128.store(xt, f32x4.add(v128.load(xt, 16), b), 16);
          xt += tapStep;
          wtap += wTap;
        }
      }
    }
  }
  for (; ib < cig; ib += 4) {
    let ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
      const d0 = dg + <usize>ox * dyStep;
      const x0 = xg + <usize>ox * xStep + (ib << 2);
      let wtap = wg + (ib << 2);
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let wt = wtap;
          let d = d0;
          for (let o = 0; o < cog; o++) {
            const w = v128.load(wt);
            a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(d), w));
            a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(d + dyStep), w));
            a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(d + 2 * dyStep), w));
            a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(d + 3 * dyStep), w));
            d += 4;
            wt += wRow;
          }
          // Sequential read-add-write: with stride 1 neighbouring pixels' taps hit the same dx element.
          v128.store(xt, f32x4.add(v128.load(xt), a0));
          v128.store(xt + xStep, f32x4.add(v128.load(xt + xStep), a1));
          v128.store(xt + 2 * xStep, f32x4.add(v128.load(xt + 2 * xStep), a2));
          v128.store(xt + 3 * xStep, f32x4.add(v128.load(xt + 3 * xStep), a3));
          xt += tapStep;
          wtap += wTap;
        }
      }
    }
    for (; ox < ow; ox++) {
      const d0 = dg + <usize>ox * dyStep;
      const x0 = xg + <usize>ox * xStep + (ib << 2);
      let wtap = wg + (ib << 2);
      for (let ky = 0; ky < kh; ky++) {
        let xt = x0 + <usize>ky * rowIn;
        for (let kx = 0; kx < kw; kx++) {
          let a = f32x4.splat(0);
          let wt = wtap;
          for (let o = 0; o < cog; o++) {
            a = f32x4.add(a, f32x4.mul(v128.load32_splat(d0 + (o << 2)), v128.load(wt)));
            wt += wRow;
          }
          v128.store(xt, f32x4.add(v128.load(xt), a));
          xt += tapStep;
          wtap += wTap;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Filter gradient: dW[g][ky·kw + kx][i][o] = Σ_{b, oy, ox} xp[b, oy·s + ky, ox·s + kx, g·cig + i] · dy[b, oy, ox, g·cog + o]
// (dwp must be zeroed). Pixels are taken in tiles of whole rows (about TILE pixels) so that one tile's inputs and
// gradients stay in L1 while every (tap, i, o) block sweeps them. A 4 (i) x 4 (o) block of dW is held in four
// registers: per pixel one dy vector load feeds four multiply-adds.

const TILE = 128;

export function backpropFilter(
  xp: usize, dy: usize, dwp: usize,
  n: i32, hp: i32, wp: i32, groups: i32, cig: i32, cog: i32, kh: i32, kw: i32, s: i32, oh: i32, ow: i32,
): void {
  const cin = groups * cig;
  const cout = groups * cog;
  const xStep = (s * cin) << 2;
  const xRow = (s * wp * cin) << 2;
  const dyStep = (cout << 2) as usize;
  const taps = kh * kw;
  const tileRows = max(1, (TILE + ow - 1) / ow);
  for (let b = 0; b < n; b++) {
    for (let oy0 = 0; oy0 < oh; oy0 += tileRows) {
      const rows = min(oh, oy0 + tileRows) - oy0;
      for (let g = 0; g < groups; g++) {
        const dg = dy + ((((b * oh + oy0) * ow) * cout + g * cog) << 2);
        for (let t = 0; t < taps; t++) {
          const ky = t / kw, kx = t % kw;
          const xg = xp + ((((b * hp + oy0 * s + ky) * wp + kx) * cin + g * cig) << 2);
          const acc = dwp + ((((g * taps + t) * cig) * cog) << 2);
          for (let o = 0; o < cog; o += 4) {
            let i = 0;
            if (o + 8 <= cog) {
              // Eight output channels (dense convs): each x value loaded feeds two dy vectors.
              for (; i + 4 <= cig; i += 4) {
                filterTile4x8(xg + (i << 2), dg + (o << 2), acc + ((i * cog + o) << 2), cog << 2, rows, ow, xStep, xRow, dyStep);
              }
              for (; i < cig; i++) {
                filterTile1(xg + (i << 2), dg + (o << 2), acc + ((i * cog + o) << 2), rows, ow, xStep, xRow, dyStep);
                filterTile1(xg + (i << 2), dg + ((o + 4) << 2), acc + ((i * cog + o + 4) << 2), rows, ow, xStep, xRow, dyStep);
              }
              o += 4;
              continue;
            }
            for (; i + 4 <= cig; i += 4) {
              filterTile4(xg + (i << 2), dg + (o << 2), acc + ((i * cog + o) << 2), cog << 2, rows, ow, xStep, xRow, dyStep);
            }
            for (; i < cig; i++) {
              filterTile1(xg + (i << 2), dg + (o << 2), acc + ((i * cog + o) << 2), rows, ow, xStep, xRow, dyStep);
            }
          }
        }
      }
    }
  }
}

/** dW rows i..i+3, columns o..o+3 (row stride `accRow` bytes) += Σ_pixels x[i..i+3] ⊗ dy[o..o+3]. */
// @ts-ignore: decorator
@inline
function filterTile4(x0: usize, d0: usize, p: usize, accRow: usize, rows: i32, ow: i32, xStep: usize, xRow: usize, dyStep: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    let x = x0 + <usize>r * xRow;
    let d = d0 + <usize>(r * ow) * dyStep;
    for (let ox = 0; ox < ow; ox++) {
      const dv = v128.load(d);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x), dv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(x + 4), dv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(x + 8), dv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(x + 12), dv));
      x += xStep;
      d += dyStep;
    }
  }
  v128.store(p, f32x4.add(v128.load(p), a0));
  v128.store(p + accRow, f32x4.add(v128.load(p + accRow), a1));
  v128.store(p + 2 * accRow, f32x4.add(v128.load(p + 2 * accRow), a2));
  v128.store(p + 3 * accRow, f32x4.add(v128.load(p + 3 * accRow), a3));
}

/** dW rows i..i+3, columns o..o+7 += Σ_pixels x[i..i+3] ⊗ dy[o..o+7]: eight accumulators. */
// @ts-ignore: decorator
@inline
function filterTile4x8(x0: usize, d0: usize, p: usize, accRow: usize, rows: i32, ow: i32, xStep: usize, xRow: usize, dyStep: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    let x = x0 + <usize>r * xRow;
    let d = d0 + <usize>(r * ow) * dyStep;
    for (let ox = 0; ox < ow; ox++) {
      const d0v = v128.load(d);
      const d1v = v128.load(d, 16);
      const s0 = v128.load32_splat(x);
      const s1 = v128.load32_splat(x + 4);
      const s2 = v128.load32_splat(x + 8);
      const s3 = v128.load32_splat(x + 12);
      a0 = f32x4.add(a0, f32x4.mul(s0, d0v));
      b0 = f32x4.add(b0, f32x4.mul(s0, d1v));
      a1 = f32x4.add(a1, f32x4.mul(s1, d0v));
      b1 = f32x4.add(b1, f32x4.mul(s1, d1v));
      a2 = f32x4.add(a2, f32x4.mul(s2, d0v));
      b2 = f32x4.add(b2, f32x4.mul(s2, d1v));
      a3 = f32x4.add(a3, f32x4.mul(s3, d0v));
      b3 = f32x4.add(b3, f32x4.mul(s3, d1v));
      x += xStep;
      d += dyStep;
    }
  }
  v128.store(p, f32x4.add(v128.load(p), a0));
  v128.store(p, f32x4.add(v128.load(p, 16), b0), 16);
  v128.store(p + accRow, f32x4.add(v128.load(p + accRow), a1));
  v128.store(p + accRow, f32x4.add(v128.load(p + accRow, 16), b1), 16);
  v128.store(p + 2 * accRow, f32x4.add(v128.load(p + 2 * accRow), a2));
  v128.store(p + 2 * accRow, f32x4.add(v128.load(p + 2 * accRow, 16), b2), 16);
  v128.store(p + 3 * accRow, f32x4.add(v128.load(p + 3 * accRow), a3));
  v128.store(p + 3 * accRow, f32x4.add(v128.load(p + 3 * accRow, 16), b3), 16);
}

/** dW row i, columns o..o+3 += Σ_pixels x[i] · dy[o..o+3], with two accumulators to halve the add chain. */
// @ts-ignore: decorator
@inline
function filterTile1(x0: usize, d0: usize, p: usize, rows: i32, ow: i32, xStep: usize, xRow: usize, dyStep: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    let x = x0 + <usize>r * xRow;
    let d = d0 + <usize>(r * ow) * dyStep;
    let ox = 0;
    for (; ox + 2 <= ow; ox += 2) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x), v128.load(d)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(x + xStep), v128.load(d + dyStep)));
      x += 2 * xStep;
      d += 2 * dyStep;
    }
    if (ox < ow) a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x), v128.load(d)));
  }
  v128.store(p, f32x4.add(v128.load(p), f32x4.add(a0, a1)));
}

