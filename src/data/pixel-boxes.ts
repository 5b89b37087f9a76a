import type { Box } from './types.js';

/** A box in pixel corner form, the working form of the augmentations. */
export interface PixelBox {
  cls: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Normalised centre form → pixels of a width × height image, scaled by `scale` and shifted by (dx, dy). */
export function toPixelBoxes(boxes: readonly Box[], width: number, height: number, scale = 1, dx = 0, dy = 0): PixelBox[] {
  return boxes.map((b) => ({
    cls: b.cls,
    x1: (b.cx - b.w / 2) * width * scale + dx,
    y1: (b.cy - b.h / 2) * height * scale + dy,
    x2: (b.cx + b.w / 2) * width * scale + dx,
    y2: (b.cy + b.h / 2) * height * scale + dy,
  }));
}

export function clipPixelBox(b: PixelBox, width: number, height: number): PixelBox {
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return { cls: b.cls, x1: clamp(b.x1, width), y1: clamp(b.y1, height), x2: clamp(b.x2, width), y2: clamp(b.y2, height) };
}
