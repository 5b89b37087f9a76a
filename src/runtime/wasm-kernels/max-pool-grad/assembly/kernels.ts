/**
 * MaxPool's gradient (NHWC float32) on tfjs' heap, like ../../batch-norm-act: the module imports tfjs' memory and owns
 * none; pointers are byte offsets. Each window routes dy to its first maximum in row-major order, as tfjs' cpu backend
 * does, with the running maximum starting at −∞ (tfjs' own wasm kernel starts at the smallest positive float, so
 * windows of values ≤ 0 lost their gradient). Channels are innermost, so a window pass reads contiguous memory.
 * best (f32) and bestAt (i32, element index or −1) are caller scratch of `channels` values each; dx is zeroed here.
 */
export function maxPoolGrad(
  x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, channels: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, fh: i32, fw: i32, top: i32, left: i32, best: usize, bestAt: usize,
): void {
  memory.fill(dx, 0, <usize>(n * h * w * channels) << 2);
  let dyAt = dy;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      const y1 = min(h, y0 + fh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const x1 = min(w, x0 + fw);
        for (let c = 0; c < channels; c++) {
          store<f32>(best + (<usize>c << 2), -Infinity);
          store<i32>(bestAt + (<usize>c << 2), -1);
        }
        for (let iy = max(0, y0); iy < y1; iy++) {
          for (let ix = max(0, x0); ix < x1; ix++) {
            const base = ((b * h + iy) * w + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = load<f32>(x + (<usize>(base + c) << 2));
              if (v > load<f32>(best + (<usize>c << 2))) {
                store<f32>(best + (<usize>c << 2), v);
                store<i32>(bestAt + (<usize>c << 2), base + c);
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const at = load<i32>(bestAt + (<usize>c << 2));
          if (at >= 0) {
            const target = dx + (<usize>at << 2);
            store<f32>(target, load<f32>(target) + load<f32>(dyAt + (<usize>c << 2)));
          }
        }
        dyAt += <usize>channels << 2;
      }
    }
  }
}
