/**
 * The device-side variant of `decodePredictions`: decode with tfjs ops on the active backend (WebGPU in the worker)
 * and keep only rows with obj > objThres there, so only the candidates are read back. Same row layout and order as
 * decode.ts: `x1, y1, x2, y2, obj, cls…`, level → anchor → y → x.
 */
import * as tf from '@tensorflow/tfjs';

/** Grid offsets [1, 1, ny, nx, 2] (x, y) and anchors [1, 3, 1, 1, 2] in pixels for one level. */
function levelConstants(ny: number, nx: number, anchors: readonly (readonly [number, number])[]): [tf.Tensor, tf.Tensor] {
  const grid = new Float32Array(ny * nx * 2);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      grid[(y * nx + x) * 2] = x;
      grid[(y * nx + x) * 2 + 1] = y;
    }
  }
  return [
    tf.tensor5d(grid, [1, 1, ny, nx, 2]),
    tf.tensor5d(anchors.flat() as number[], [1, anchors.length, 1, 1, 2]),
  ];
}

/** Decoded rows of all levels, [N, rows, nc+5]. */
function decodeOnDevice(
  levels: readonly tf.Tensor5D[],
  strides: readonly number[],
  anchors: readonly (readonly (readonly [number, number])[])[],
): tf.Tensor3D {
  return tf.tidy(() => {
    const perLevel = levels.map((level, li) => {
      const [n, na, ny, nx, no] = level.shape;
      const [grid, anchorPx] = levelConstants(ny, nx, anchors[li]);
      const s = tf.sigmoid(level);
      const xy = s.slice([0, 0, 0, 0, 0], [-1, -1, -1, -1, 2]).mul(2).sub(0.5).add(grid).mul(strides[li]);
      const wh = s.slice([0, 0, 0, 0, 2], [-1, -1, -1, -1, 2]).mul(2).square().mul(anchorPx);
      const half = wh.div(2);
      const rest = s.slice([0, 0, 0, 0, 4], [-1, -1, -1, -1, no - 4]);
      return tf.concat([xy.sub(half), xy.add(half), rest], 4).reshape([n, na * ny * nx, no]);
    });
    return tf.concat(perLevel, 1) as tf.Tensor3D;
  });
}

export async function decodePredictionsTf(
  levels: readonly tf.Tensor5D[],
  strides: readonly number[],
  anchors: readonly (readonly (readonly [number, number])[])[],
  objThres: number,
): Promise<Float32Array[]> {
  if (levels.length === 0) return [];
  const rows = decodeOnDevice(levels, strides, anchors);
  const images = tf.unstack(rows) as tf.Tensor2D[];
  rows.dispose();
  const out: Float32Array[] = [];
  for (const image of images) {
    const mask = tf.tidy(() => image.slice([0, 4], [-1, 1]).squeeze([1]).greater(objThres));
    const kept = await tf.booleanMaskAsync(image, mask);
    out.push((await kept.data()) as Float32Array);
    tf.dispose([image, mask, kept]);
  }
  return out;
}
