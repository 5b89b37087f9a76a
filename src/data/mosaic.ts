import { blit, greyCanvas } from './letterbox.js';
import { clipPixelBox, type PixelBox } from './pixel-boxes.js';
import type { RGBImage } from './types.js';

export interface MosaicPiece {
  /** Already resized so that its longer side is the target size s (the original load_image). */
  image: RGBImage;
  /** Boxes in that image's pixels. */
  boxes: PixelBox[];
}

/**
 * The 4-image mosaic of ScaledYOLOv4's yolov4-large loader: a 2s × 2s grey canvas whose centre is fixed at (s, s);
 * piece 0 goes top-left of the centre, 1 top-right, 2 bottom-left, 3 bottom-right, each cropped at the canvas edge.
 * Boxes move with their piece and are clipped to the canvas.
 */
export function mosaic4(pieces: readonly MosaicPiece[], s: number): { image: RGBImage; boxes: PixelBox[] } {
  const size = 2 * s;
  const canvas = greyCanvas(size, size);
  const xc = s;
  const yc = s;
  const boxes: PixelBox[] = [];
  pieces.forEach(({ image, boxes: pieceBoxes }, i) => {
    const { width: w, height: h } = image;
    // a = area on the canvas, b = the same area in the piece
    let x1a: number, y1a: number, x2a: number, y2a: number, x1b: number, y1b: number;
    if (i === 0) {
      [x1a, y1a, x2a, y2a] = [Math.max(xc - w, 0), Math.max(yc - h, 0), xc, yc];
      [x1b, y1b] = [w - (x2a - x1a), h - (y2a - y1a)];
    } else if (i === 1) {
      [x1a, y1a, x2a, y2a] = [xc, Math.max(yc - h, 0), Math.min(xc + w, size), yc];
      [x1b, y1b] = [0, h - (y2a - y1a)];
    } else if (i === 2) {
      [x1a, y1a, x2a, y2a] = [Math.max(xc - w, 0), yc, xc, Math.min(size, yc + h)];
      [x1b, y1b] = [w - (x2a - x1a), 0];
    } else {
      [x1a, y1a, x2a, y2a] = [xc, yc, Math.min(xc + w, size), Math.min(size, yc + h)];
      [x1b, y1b] = [0, 0];
    }
    blit(image, canvas, x1b, y1b, x1a, y1a, x2a - x1a, y2a - y1a);
    const padX = x1a - x1b;
    const padY = y1a - y1b;
    for (const b of pieceBoxes) {
      boxes.push(clipPixelBox({ cls: b.cls, x1: b.x1 + padX, y1: b.y1 + padY, x2: b.x2 + padX, y2: b.y2 + padY }, size, size));
    }
  });
  return { image: canvas, boxes };
}
