import type { Random } from './random.js';
import type { RGBImage } from './types.js';

/**
 * augment_hsv(): random gains 1 + U(−1,1)·(hsv_h, hsv_s, hsv_v) applied through 256-entry lookup tables in OpenCV's
 * 8-bit HSV space (H in 0..179, S and V in 0..255; hue wraps mod 180). Works in place on RGB bytes.
 */
export function augmentHsv(img: RGBImage, hGain: number, sGain: number, vGain: number, rng: Random): void {
  const rh = rng.uniform(-1, 1) * hGain + 1;
  const rs = rng.uniform(-1, 1) * sGain + 1;
  const rv = rng.uniform(-1, 1) * vGain + 1;
  if (rh === 1 && rs === 1 && rv === 1) return;
  const lutH = new Uint8Array(256);
  const lutS = new Uint8Array(256);
  const lutV = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    lutH[x] = Math.floor(x * rh) % 180; // numpy's (x*r % 180).astype(uint8) truncates
    lutS[x] = Math.min(255, Math.max(0, Math.floor(x * rs)));
    lutV[x] = Math.min(255, Math.max(0, Math.floor(x * rv)));
  }
  const d = img.data;
  for (let p = 0; p < d.length; p += 3) {
    const r = d[p], g = d[p + 1], b = d[p + 2];
    const v = Math.max(r, g, b);
    const diff = v - Math.min(r, g, b);
    const s = v === 0 ? 0 : Math.round((255 * diff) / v);
    let h = 0;
    if (diff !== 0) {
      h = v === r ? (60 * (g - b)) / diff : v === g ? 120 + (60 * (b - r)) / diff : 240 + (60 * (r - g)) / diff;
      if (h < 0) h += 360;
    }
    const h8 = Math.round(h / 2) % 180;
    writeRgb(d, p, lutH[h8] * 2, lutS[s] / 255, lutV[v]);
  }
}

/** HSV (hue in degrees, saturation 0..1, value 0..255) → RGB bytes at d[p..p+2]. */
function writeRgb(d: Uint8Array, p: number, hue: number, sat: number, val: number): void {
  const c = val * sat;
  const hp = hue / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const m = val - c;
  let r = 0, g = 0, b = 0;
  if (hp < 1) [r, g, b] = [c, x, 0];
  else if (hp < 2) [r, g, b] = [x, c, 0];
  else if (hp < 3) [r, g, b] = [0, c, x];
  else if (hp < 4) [r, g, b] = [0, x, c];
  else if (hp < 5) [r, g, b] = [x, 0, c];
  else [r, g, b] = [c, 0, x];
  d[p] = Math.round(r + m);
  d[p + 1] = Math.round(g + m);
  d[p + 2] = Math.round(b + m);
}
