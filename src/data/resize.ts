import type { RGBImage } from './types.js';

/**
 * Separable RGB resampling with precomputed tap tables: area averaging when shrinking (like cv2.INTER_AREA, which the
 * original loader uses for down-scaling) and bilinear with half-pixel centres when enlarging (cv2.INTER_LINEAR).
 */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

function buildTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const stride = scale > 1 ? Math.ceil(scale) + 2 : 2;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let o = 0; o < outSize; o++) {
    if (scale > 1) {
      const lo = o * scale;
      const hi = Math.min((o + 1) * scale, inSize);
      const first = Math.floor(lo);
      let n = 0;
      for (let i = first; i < hi && n < stride; i++, n++) {
        const overlap = Math.min(i + 1, hi) - Math.max(i, lo);
        weights[o * stride + n] = overlap / (hi - lo);
      }
      start[o] = first;
      count[o] = n;
    } else {
      const centre = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1);
      const i0 = Math.floor(centre);
      const frac = centre - i0;
      start[o] = i0;
      count[o] = i0 + 1 < inSize ? 2 : 1;
      weights[o * stride] = count[o] === 2 ? 1 - frac : 1;
      weights[o * stride + 1] = frac;
    }
  }
  return { start, count, weights, stride };
}

/** Resizes an RGB image to width × height. Returns the input itself when the size is unchanged. */
export function resizeRGB(src: RGBImage, width: number, height: number): RGBImage {
  if (src.width === width && src.height === height) return src;
  const xt = buildTaps(src.width, width);
  const yt = buildTaps(src.height, height);
  // Horizontal pass: src rows → float rows of the new width.
  const tmp = new Float32Array(width * src.height * 3);
  const s = src.data;
  for (let y = 0; y < src.height; y++) {
    const rowIn = y * src.width * 3;
    const rowOut = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      const base = x * xt.stride;
      for (let k = 0; k < xt.count[x]; k++) {
        const w = xt.weights[base + k];
        const p = rowIn + (xt.start[x] + k) * 3;
        r += w * s[p];
        g += w * s[p + 1];
        b += w * s[p + 2];
      }
      const q = rowOut + x * 3;
      tmp[q] = r;
      tmp[q + 1] = g;
      tmp[q + 2] = b;
    }
  }
  // Vertical pass: float rows → bytes (rounded and clamped).
  const out = new Uint8Array(width * height * 3);
  const rowLen = width * 3;
  const acc = new Float32Array(rowLen);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    const base = y * yt.stride;
    for (let k = 0; k < yt.count[y]; k++) {
      const w = yt.weights[base + k];
      const rowIn = (yt.start[y] + k) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] += w * tmp[rowIn + i];
    }
    const rowOut = y * rowLen;
    for (let i = 0; i < rowLen; i++) out[rowOut + i] = Math.min(255, Math.max(0, Math.round(acc[i])));
  }
  return { width, height, data: out };
}
