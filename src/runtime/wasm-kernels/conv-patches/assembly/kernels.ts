/**
 * The conv filter gradient's patch matrix (im2col), on tfjs' heap like ../../batch-norm-act: the module imports tfjs'
 * memory and owns none. Written in JavaScript this loop cost 21 ms of a 250 ms ResNet-50 step, most of it per-row
 * overhead on the deep layers' 4- and 8-pixel rows; here a row is a handful of instructions.
 *
 *   patches[(i·kw + j)·ci + c, (b·oh + y)·ow + q] = x[c, b, y·sh + i − top, q·sw + j − left]   (0 outside the image)
 *
 * x is the input transposed to [ci, n, h, w]; patches is [kh·kw·ci, n·oh·ow]. Pointers are byte offsets.
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
