import type { PixelBox } from './pixel-boxes.js';
import type { RGBImage } from './types.js';

/** Mirrors the image left-right in place and returns the mirrored boxes. */
export function flipLeftRight(img: RGBImage, boxes: readonly PixelBox[]): PixelBox[] {
  const { width, height, data } = img;
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let a = 0, b = width - 1; a < b; a++, b--) {
      for (let c = 0; c < 3; c++) {
        const t = data[row + a * 3 + c];
        data[row + a * 3 + c] = data[row + b * 3 + c];
        data[row + b * 3 + c] = t;
      }
    }
  }
  return boxes.map((b) => ({ cls: b.cls, x1: width - b.x2, y1: b.y1, x2: width - b.x1, y2: b.y2 }));
}

/** Mirrors the image top-bottom in place and returns the mirrored boxes. */
export function flipUpDown(img: RGBImage, boxes: readonly PixelBox[]): PixelBox[] {
  const { width, height, data } = img;
  const rowLen = width * 3;
  const tmp = new Uint8Array(rowLen);
  for (let a = 0, b = height - 1; a < b; a++, b--) {
    tmp.set(data.subarray(a * rowLen, (a + 1) * rowLen));
    data.copyWithin(a * rowLen, b * rowLen, (b + 1) * rowLen);
    data.set(tmp, b * rowLen);
  }
  return boxes.map((b) => ({ cls: b.cls, x1: b.x1, y1: height - b.y2, x2: b.x2, y2: height - b.y1 }));
}
