import { PAD_VALUE } from './constants.js';
import { resizeRGB } from './resize.js';
import type { RGBImage } from './types.js';

export interface Letterboxed {
  image: RGBImage;
  /** Scale from the input image to the letterboxed one. */
  ratio: number;
  /** Left and top padding in output pixels: output = input · ratio + pad. */
  padX: number;
  padY: number;
}

/** A size × size canvas of the pad grey. */
export function greyCanvas(width: number, height: number): RGBImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(PAD_VALUE) };
}

/** Copies the rectangle [sx, sx+w) × [sy, sy+h) of src to (dx, dy) of dst. */
export function blit(src: RGBImage, dst: RGBImage, sx: number, sy: number, dx: number, dy: number, w: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const from = ((sy + y) * src.width + sx) * 3;
    dst.data.set(src.data.subarray(from, from + w * 3), ((dy + y) * dst.width + dx) * 3);
  }
}

/**
 * Resizes keeping the aspect ratio so the longer side is `size`, and centres the result on a grey (114) square, as the
 * original letterbox() does for square shapes (the odd pixel of padding goes right/bottom).
 */
export function letterbox(src: RGBImage, size: number): Letterboxed {
  const ratio = Math.min(size / src.width, size / src.height);
  const w = Math.max(1, Math.min(size, Math.round(src.width * ratio)));
  const h = Math.max(1, Math.min(size, Math.round(src.height * ratio)));
  const resized = resizeRGB(src, w, h);
  const padX = Math.floor((size - w) / 2);
  const padY = Math.floor((size - h) / 2);
  const image = greyCanvas(size, size);
  blit(resized, image, 0, 0, padX, padY, w, h);
  return { image, ratio, padX, padY };
}
