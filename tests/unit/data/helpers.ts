import type { Box, Dataset, ImageProvider, LabeledImage, RGBImage } from '../../../src/data/index.js';

export type RGB = [number, number, number];

/** A distinct solid colour per class, far from the 114 grey and from the background. */
export const CLASS_COLORS: RGB[] = [[230, 30, 30], [30, 200, 30], [30, 30, 230], [230, 230, 30]];
export const BACKGROUND: RGB = [20, 20, 60];

export interface Rect { cls: number; x: number; y: number; w: number; h: number }

/** An image of solid rectangles (integer pixel coordinates) on a plain background, and its exact labels. */
export function paintRects(width: number, height: number, rects: Rect[]): { image: RGBImage; boxes: Box[] } {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < data.length; p += 3) data.set(BACKGROUND, p);
  for (const r of rects) {
    for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) data.set(CLASS_COLORS[r.cls], (y * width + x) * 3);
  }
  const boxes = rects.map((r) => ({ cls: r.cls, cx: (r.x + r.w / 2) / width, cy: (r.y + r.h / 2) / height, w: r.w / width, h: r.h / height }));
  return { image: { width, height, data }, boxes };
}

export function pixel(image: RGBImage, x: number, y: number): RGB {
  const p = (y * image.width + x) * 3;
  return [image.data[p], image.data[p + 1], image.data[p + 2]];
}

export const near = (a: readonly number[], b: readonly number[], tol = 2) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** A dataset held in memory: images by file name. */
export function memoryDataset(entries: { file: string; image: RGBImage; boxes: Box[] }[]): { dataset: Dataset; images: ImageProvider } {
  const byFile = new Map(entries.map((e) => [e.file, e.image]));
  const labeled: LabeledImage[] = entries.map((e) => ({ file: e.file, width: e.image.width, height: e.image.height, boxes: e.boxes }));
  return {
    dataset: { format: 'yolo', names: ['motorcycle', 'car', 'bus', 'truck'], splits: { train: labeled, val: labeled }, problems: [] },
    images: {
      async get(file) {
        const image = byFile.get(file)!;
        return { ...image, data: image.data.slice() };
      },
    },
  };
}
