/**
 * The data shuffles around the conv gradients' XNNPACK calls, on tfjs' heap like ../../batch-norm-act: the module
 * imports tfjs' memory and owns none. Pointers are byte offsets. In JavaScript the patch matrix alone cost 21 ms of a
 * 250 ms ResNet-50 step, most of it per-row overhead on the deep layers' 4- and 8-pixel rows; here a row is a handful
 * of instructions.
 */

/**
 * The filter gradient's patch matrix (im2col):
 *   patches[(i·kw + j)·ci + c, (b·oh + y)·ow + q] = x[c, b, y·sh + i − top, q·sw + j − left]   (0 outside the image)
 *
 * x is the input transposed to [ci, n, h, w]; patches is [kh·kw·ci, n·oh·ow].
 */
export function patchesFromPlanes(
  x: usize, patches: usize, n: i32, h: i32, w: i32, ci: i32, kh: i32, kw: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, top: i32, left: i32,
): void {
  let out = patches;
  const rowBytes = <usize>ow << 2;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // The columns q whose ix = q·sw + j − left lies inside [0, w).
      let q0 = 0;
      while (q0 < ow && q0 * sw + j - left < 0) q0++;
      let q1 = ow;
      while (q1 > q0 && (q1 - 1) * sw + j - left >= w) q1--;
      for (let c = 0; c < ci; c++) {
        for (let b = 0; b < n; b++) {
          const plane = x + ((<usize>(c * n + b) * h * w) << 2);
          for (let y = 0; y < oh; y++) {
            const iy = y * sh + i - top;
            if (iy < 0 || iy >= h || q1 <= q0) {
              memory.fill(out, 0, rowBytes);
              out += rowBytes;
              continue;
            }
            const line = plane + (<usize>(iy * w) << 2);
            memory.fill(out, 0, <usize>q0 << 2);
            if (sw == 1) {
              memory.copy(out + (<usize>q0 << 2), line + (<usize>(q0 + j - left) << 2), <usize>(q1 - q0) << 2);
            } else {
              for (let q = q0; q < q1; q++) store<f32>(out + (<usize>q << 2), load<f32>(line + (<usize>(q * sw + j - left) << 2)));
            }
            memory.fill(out + (<usize>q1 << 2), 0, <usize>(ow - q1) << 2);
            out += rowBytes;
          }
        }
      }
    }
  }
}

/** The input gradient's filter: HWIO [kh, kw, ci, co] rotated by 180° with in/out swapped, [kh, kw, co, ci]. */
export function rotateFilter(w: usize, out: usize, kh: i32, kw: i32, ci: i32, co: i32): void {
  const tap = <usize>(ci * co) << 2;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = w + <usize>(i * kw + j) * tap;
      const to = out + <usize>((kh - 1 - i) * kw + (kw - 1 - j)) * tap;
      for (let c = 0; c < ci; c++) {
        for (let o = 0; o < co; o++) {
          store<f32>(to + (<usize>(o * ci + c) << 2), load<f32>(from + (<usize>(c * co + o) << 2)));
        }
      }
    }
  }
}

/**
 * One output phase of a strided input gradient into dx: phase [n, ph, pw, ci] holds dx's padded rows v·sh + r and
 * columns u·sw + q; those inside the image are copied to dx [n, h, w, ci] (shifted back by the padding top/left).
 */
export function scatterPhase(
  phase: usize, dx: usize, n: i32, ph: i32, pw: i32, ci: i32, h: i32, w: i32, sh: i32, sw: i32, r: i32, q: i32, top: i32, left: i32,
): void {
  const pixel = <usize>ci << 2;
  for (let b = 0; b < n; b++) {
    for (let v = 0; v < ph; v++) {
      const y = v * sh + r - top;
      if (y < 0 || y >= h) continue;
      for (let u = 0; u < pw; u++) {
        const x = u * sw + q - left;
        if (x < 0 || x >= w) continue;
        memory.copy(dx + <usize>((b * h + y) * w + x) * pixel, phase + <usize>((b * ph + v) * pw + u) * pixel, pixel);
      }
    }
  }
}
