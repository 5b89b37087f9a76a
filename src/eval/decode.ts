/**
 * Decodes raw Detect outputs on the CPU, as ScaledYOLOv4's Detect.forward does at inference:
 *   xy = (2σ(t_xy) − 0.5 + grid)·stride,  wh = (2σ(t_wh))²·anchor_px,  obj = σ(t_o),  cls = σ(t_c).
 * Boxes are returned as xyxy in input (letterboxed) pixels.
 */
import type { CandidateRows, RawLevel } from './types';

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

export interface DecodeOptions {
  /**
   * Keep only rows with obj > objThres. NMS applies the same test first (ScaledYOLOv4's `xc = obj > conf_thres`), so
   * passing the NMS confThres here changes nothing but the work done. Default: keep every row.
   */
  objThres?: number;
}

/**
 * @param levels  one entry per Detect level, layout `[N, 3, ny, nx, nc+5]` (logits)
 * @param strides input pixels per grid cell, per level (e.g. [8, 16, 32])
 * @param anchors per level, the 3 anchors `[w, h]` in input pixels
 * @returns per image, rows `x1, y1, x2, y2, obj, cls_0 … cls_{nc-1}` (width nc+5), ordered level → anchor → y → x
 */
export function decodePredictions(
  levels: readonly RawLevel[],
  strides: readonly number[],
  anchors: readonly (readonly (readonly [number, number])[])[],
  options: DecodeOptions = {},
): CandidateRows[] {
  if (levels.length === 0) return [];
  const objThres = options.objThres ?? -Infinity;
  const batch = levels[0].shape[0];
  const width = levels[0].shape[4];
  const perImage: CandidateRows[] = [];
  for (let n = 0; n < batch; n++) {
    const capacity = levels.reduce((sum, l) => sum + l.shape[1] * l.shape[2] * l.shape[3], 0);
    const out = new Float32Array(capacity * width);
    let count = 0;
    levels.forEach((level, li) => {
      const [, na, ny, nx, no] = level.shape;
      if (no !== width) throw new Error(`decodePredictions: level ${li} has row width ${no}, expected ${width}`);
      const stride = strides[li];
      const imageBase = n * na * ny * nx * no;
      for (let a = 0; a < na; a++) {
        const [aw, ah] = anchors[li][a];
        for (let y = 0; y < ny; y++) {
          for (let x = 0; x < nx; x++) {
            const src = imageBase + ((a * ny + y) * nx + x) * no;
            const obj = sigmoid(level.data[src + 4]);
            if (!(obj > objThres)) continue;
            const cx = (2 * sigmoid(level.data[src]) - 0.5 + x) * stride;
            const cy = (2 * sigmoid(level.data[src + 1]) - 0.5 + y) * stride;
            const w = (2 * sigmoid(level.data[src + 2])) ** 2 * aw;
            const h = (2 * sigmoid(level.data[src + 3])) ** 2 * ah;
            const dst = count * width;
            out[dst] = cx - w / 2;
            out[dst + 1] = cy - h / 2;
            out[dst + 2] = cx + w / 2;
            out[dst + 3] = cy + h / 2;
            out[dst + 4] = obj;
            for (let c = 5; c < no; c++) out[dst + c] = sigmoid(level.data[src + c]);
            count++;
          }
        }
      }
    });
    perImage.push(count === capacity ? out : out.slice(0, count * width));
  }
  return perImage;
}
