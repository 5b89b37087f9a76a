/**
 * Bytes (0–255) to RGBA through a perceptually uniform, colour-blind-safe ramp (viridis' end points and three stops
 * between), so a bright cell reads as a strong response on any screen.
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The ramp's colour of a byte, linear between stops. */
export function heatColor(value: number): [number, number, number] {
  const t = (Math.max(0, Math.min(255, value)) / 255) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** RGBA pixels of a width×height byte map. */
export function heatmapPixels(values: Uint8Array, width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = heatColor(values[p]);
    out.set([r, g, b, 255], p * 4);
  }
  return out;
}
