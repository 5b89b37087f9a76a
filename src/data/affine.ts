import { PAD_VALUE } from './constants.js';
import { clipPixelBox, type PixelBox } from './pixel-boxes.js';
import type { Random } from './random.js';
import type { AugmentHyp, RGBImage } from './types.js';

/** Row-major 3×3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

const identity = (): Mat3 => [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function multiply(a: Mat3, b: Mat3): Mat3 {
  const m = new Array<number>(9) as Mat3;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  return m;
}

export function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/** Maps a point through M (with the perspective divide). */
export function applyToPoint(m: Mat3, x: number, y: number): [number, number] {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

/**
 * Draws the random warp of the original random_perspective(): M = T·S·R·P·C, with C moving the input centre to the
 * origin, P a perspective tilt, R rotation ±degrees and scale 1±scale, S shear ±shear degrees, and T translating to
 * uniform(0.5 ± translate) of the output size. Every draw is taken even when its hyp is 0, so the stream of random
 * numbers does not depend on the hyp values.
 */
export function drawWarp(
  rng: Random, hyp: AugmentHyp, inWidth: number, inHeight: number, outWidth: number, outHeight: number,
): { matrix: Mat3; scale: number } {
  const C: Mat3 = [1, 0, -inWidth / 2, 0, 1, -inHeight / 2, 0, 0, 1];
  const P = identity();
  P[6] = rng.uniform(-hyp.perspective, hyp.perspective);
  P[7] = rng.uniform(-hyp.perspective, hyp.perspective);
  const angle = (rng.uniform(-hyp.degrees, hyp.degrees) * Math.PI) / 180;
  const scale = rng.uniform(1 - hyp.scale, 1 + hyp.scale);
  const alpha = scale * Math.cos(angle);
  const beta = scale * Math.sin(angle);
  const R: Mat3 = [alpha, beta, 0, -beta, alpha, 0, 0, 0, 1];
  const S = identity();
  S[1] = Math.tan((rng.uniform(-hyp.shear, hyp.shear) * Math.PI) / 180);
  S[3] = Math.tan((rng.uniform(-hyp.shear, hyp.shear) * Math.PI) / 180);
  const T = identity();
  T[2] = rng.uniform(0.5 - hyp.translate, 0.5 + hyp.translate) * outWidth;
  T[5] = rng.uniform(0.5 - hyp.translate, 0.5 + hyp.translate) * outHeight;
  return { matrix: multiply(T, multiply(S, multiply(R, multiply(P, C)))), scale };
}

/**
 * Warps src by M into a width × height image: inverse mapping, bilinear, grey (114) outside, like cv2.warpAffine /
 * warpPerspective, except that pixel centres sit at +0.5 (OpenCV puts them at integers). With centres at +0.5 the
 * image and the box coordinates (pixel i spans [i, i+1)) move exactly together instead of drifting by (scale−1)/2 px.
 */
export function warpImage(src: RGBImage, m: Mat3, width: number, height: number): RGBImage {
  const inv = invert(m);
  const out = new Uint8Array(width * height * 3);
  const s = src.data;
  const sw = src.width;
  const sh = src.height;
  const affine = inv[6] === 0 && inv[7] === 0;
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 3) {
      const cx = x + 0.5, cy = y + 0.5;
      let sx = inv[0] * cx + inv[1] * cy + inv[2];
      let sy = inv[3] * cx + inv[4] * cy + inv[5];
      if (!affine) {
        const w = inv[6] * cx + inv[7] * cy + inv[8];
        sx /= w;
        sy /= w;
      }
      sx -= 0.5;
      sy -= 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) {
        out[o] = out[o + 1] = out[o + 2] = PAD_VALUE;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const inX0 = x0 >= 0, inX1 = x0 + 1 < sw, inY0 = y0 >= 0, inY1 = y0 + 1 < sh;
      const p00 = (y0 * sw + x0) * 3;
      const p01 = p00 + 3;
      const p10 = p00 + sw * 3;
      const p11 = p10 + 3;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      for (let c = 0; c < 3; c++) {
        const v = w00 * (inX0 && inY0 ? s[p00 + c] : PAD_VALUE) + w01 * (inX1 && inY0 ? s[p01 + c] : PAD_VALUE)
          + w10 * (inX0 && inY1 ? s[p10 + c] : PAD_VALUE) + w11 * (inX1 && inY1 ? s[p11 + c] : PAD_VALUE);
        out[o + c] = Math.round(v);
      }
    }
  }
  return { width, height, data: out };
}

/** The original box_candidates(): keep boxes wider and taller than 2 px, with > 20 % of their (scaled) area, aspect < 20. */
export function keepBox(before: PixelBox, after: PixelBox, scale: number): boolean {
  const w1 = (before.x2 - before.x1) * scale;
  const h1 = (before.y2 - before.y1) * scale;
  const w2 = after.x2 - after.x1;
  const h2 = after.y2 - after.y1;
  const aspect = Math.max(w2 / (h2 + 1e-16), h2 / (w2 + 1e-16));
  return w2 > 2 && h2 > 2 && (w2 * h2) / (w1 * h1 + 1e-16) > 0.2 && aspect < 20;
}

/** Maps boxes through M: the bounding box of the 4 warped corners, clipped to the output, then filtered. */
export function warpBoxes(boxes: readonly PixelBox[], m: Mat3, scale: number, width: number, height: number): PixelBox[] {
  const kept: PixelBox[] = [];
  for (const b of boxes) {
    const corners = [applyToPoint(m, b.x1, b.y1), applyToPoint(m, b.x2, b.y2), applyToPoint(m, b.x1, b.y2), applyToPoint(m, b.x2, b.y1)];
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const warped = clipPixelBox(
      { cls: b.cls, x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) }, width, height);
    if (keepBox(b, warped, scale)) kept.push(warped);
  }
  return kept;
}

/**
 * random_perspective(): a random warp of img to (img size − 2·border), applied to the image and its boxes. The mosaic
 * calls it with border = −s/2 (2s → s); the non-mosaic path with border 0.
 */
export function randomPerspective(
  img: RGBImage, boxes: readonly PixelBox[], hyp: AugmentHyp, rng: Random, border: number,
): { image: RGBImage; boxes: PixelBox[] } {
  const width = img.width + 2 * border;
  const height = img.height + 2 * border;
  const { matrix, scale } = drawWarp(rng, hyp, img.width, img.height, width, height);
  return { image: warpImage(img, matrix, width, height), boxes: warpBoxes(boxes, matrix, scale, width, height) };
}
