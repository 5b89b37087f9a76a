import { describe, expect, it } from 'vitest';
import { drawWarp, keepBox, randomPerspective, warpBoxes, warpImage } from '../../../src/data/affine.js';
import { flipLeftRight, flipUpDown } from '../../../src/data/flip.js';
import { augmentHsv } from '../../../src/data/hsv.js';
import { DEFAULT_AUGMENT_HYP, letterbox, Random, resizeRGB } from '../../../src/data/index.js';
import { mosaic4 } from '../../../src/data/mosaic.js';
import { toPixelBoxes } from '../../../src/data/pixel-boxes.js';
import { BACKGROUND, CLASS_COLORS, near, paintRects, pixel } from './helpers.js';

const GREY = [114, 114, 114];
const still = { ...DEFAULT_AUGMENT_HYP, translate: 0, scale: 0, degrees: 0, shear: 0, perspective: 0 };

describe('resize', () => {
  it('averages areas when shrinking and keeps flat regions exact when enlarging', () => {
    const { image } = paintRects(8, 4, [{ cls: 0, x: 0, y: 0, w: 4, h: 4 }]);
    const half = resizeRGB(image, 4, 2);
    expect(pixel(half, 0, 0)).toEqual(CLASS_COLORS[0]);
    expect(pixel(half, 3, 1)).toEqual(BACKGROUND);
    const odd = resizeRGB(image, 3, 2); // the middle column straddles both halves
    expect(pixel(odd, 1, 0)).toEqual(CLASS_COLORS[0].map((v, i) => Math.round((v + BACKGROUND[i]) / 2)));
    const big = resizeRGB(image, 32, 16);
    expect(pixel(big, 2, 2)).toEqual(CLASS_COLORS[0]);
    expect(pixel(big, 30, 14)).toEqual(BACKGROUND);
  });
});

describe('letterbox (golden)', () => {
  it('scales a 40×20 image to 64 wide, centres it on grey and maps boxes with ratio and padding', () => {
    const { image, boxes } = paintRects(40, 20, [{ cls: 2, x: 10, y: 5, w: 20, h: 10 }]);
    const lb = letterbox(image, 64);
    expect([lb.ratio, lb.padX, lb.padY]).toEqual([1.6, 0, 16]);
    expect(pixel(lb.image, 32, 8)).toEqual(GREY); // top band
    expect(pixel(lb.image, 32, 56)).toEqual(GREY); // bottom band
    expect(pixel(lb.image, 2, 20)).toEqual(BACKGROUND);
    const [box] = toPixelBoxes(boxes, 40, 20, lb.ratio, lb.padX, lb.padY);
    expect(box).toEqual({ cls: 2, x1: 16, y1: 24, x2: 48, y2: 40 });
    for (let y = 25; y < 39; y++) for (let x = 17; x < 47; x++) expect(pixel(lb.image, x, y)).toEqual(CLASS_COLORS[2]);
    expect(near(pixel(lb.image, 14, 32), BACKGROUND)).toBe(true);
    expect(near(pixel(lb.image, 32, 42), BACKGROUND)).toBe(true);
  });

  it('pads a tall image left and right', () => {
    const lb = letterbox(paintRects(10, 20, []).image, 32);
    expect([lb.ratio, lb.padX, lb.padY, lb.image.width, lb.image.height]).toEqual([1.6, 8, 0, 32, 32]);
    expect(pixel(lb.image, 3, 16)).toEqual(GREY);
    expect(pixel(lb.image, 16, 16)).toEqual(BACKGROUND);
  });
});

describe('mosaic (golden)', () => {
  it('places the 4 images around the fixed centre (s, s) of a grey 2s canvas, cropping at the edges', () => {
    const s = 32;
    const pieces = [
      paintRects(32, 16, [{ cls: 0, x: 4, y: 2, w: 8, h: 8 }]),
      paintRects(16, 32, [{ cls: 1, x: 2, y: 20, w: 10, h: 10 }]),
      paintRects(32, 32, [{ cls: 2, x: 24, y: 0, w: 8, h: 6 }]),
      paintRects(20, 32, [{ cls: 3, x: 0, y: 28, w: 20, h: 4 }]),
    ].map(({ image, boxes }) => ({ image, boxes: toPixelBoxes(boxes, image.width, image.height) }));
    const { image, boxes } = mosaic4(pieces, s);
    expect([image.width, image.height]).toEqual([64, 64]);
    // piece 0 (32×16) ends at the centre: canvas x 0..32, y 16..32
    expect(boxes[0]).toEqual({ cls: 0, x1: 4, y1: 18, x2: 12, y2: 26 });
    expect(pixel(image, 8, 22)).toEqual(CLASS_COLORS[0]);
    expect(pixel(image, 20, 8)).toEqual(GREY); // above piece 0
    // piece 1 (16×32) right of the centre, above it: x 32..48, y 0..32
    expect(boxes[1]).toEqual({ cls: 1, x1: 34, y1: 20, x2: 44, y2: 30 });
    expect(pixel(image, 40, 25)).toEqual(CLASS_COLORS[1]);
    expect(pixel(image, 56, 10)).toEqual(GREY);
    // piece 2 (32×32) below-left: x 0..32, y 32..64
    expect(boxes[2]).toEqual({ cls: 2, x1: 24, y1: 32, x2: 32, y2: 38 });
    expect(pixel(image, 28, 34)).toEqual(CLASS_COLORS[2]);
    // piece 3 (20×32) below-right: x 32..52, y 32..64
    expect(boxes[3]).toEqual({ cls: 3, x1: 32, y1: 60, x2: 52, y2: 64 });
    expect(pixel(image, 40, 62)).toEqual(CLASS_COLORS[3]);
    expect(pixel(image, 58, 62)).toEqual(GREY);
  });

  it('crops a piece larger than the quadrant and clips its boxes to the canvas', () => {
    const big = paintRects(48, 48, [{ cls: 1, x: 0, y: 0, w: 40, h: 40 }]);
    const pieces = [big, big, big, big].map(({ image, boxes }) => ({ image, boxes: toPixelBoxes(boxes, 48, 48) }));
    const { boxes } = mosaic4(pieces, 32);
    expect(boxes[0]).toEqual({ cls: 1, x1: 0, y1: 0, x2: 24, y2: 24 }); // shifted by −16, clipped at 0
    expect(boxes[3]).toEqual({ cls: 1, x1: 32, y1: 32, x2: 64, y2: 64 }); // clipped at 2s
  });
});

describe('random affine (golden)', () => {
  it('with no translate/scale, the −s/2 border crops the centre s × s of the mosaic exactly', () => {
    const { image, boxes } = paintRects(64, 64, [{ cls: 0, x: 20, y: 24, w: 16, h: 8 }, { cls: 3, x: 0, y: 0, w: 10, h: 10 }]);
    const out = randomPerspective(image, toPixelBoxes(boxes, 64, 64), still, new Random(1), -16);
    expect([out.image.width, out.image.height]).toEqual([32, 32]);
    expect(out.boxes).toEqual([{ cls: 0, x1: 4, y1: 8, x2: 20, y2: 16 }]); // the corner box falls outside and is dropped
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) expect(pixel(out.image, x, y)).toEqual(pixel(image, x + 16, y + 16));
  });

  it('scales about the canvas centre: coordinates follow M, and every box interior is its rectangle', () => {
    const hyp = { ...still, scale: 0.5, translate: 0.2 };
    const { image, boxes } = paintRects(64, 64, [{ cls: 1, x: 24, y: 20, w: 16, h: 12 }, { cls: 2, x: 30, y: 40, w: 6, h: 14 }]);
    for (let seed = 0; seed < 20; seed++) {
      const warp = drawWarp(new Random(seed), hyp, 64, 64, 32, 32);
      const out = randomPerspective(image, toPixelBoxes(boxes, 64, 64), hyp, new Random(seed), -16);
      const m = warp.matrix;
      const [sx, tx, ty] = [m[0], m[2], m[5]];
      expect(m[1]).toBe(0);
      expect(m[4]).toBeCloseTo(sx, 12);
      for (const b of out.boxes) {
        const src = boxes.find((o) => o.cls === b.cls)!;
        const x1 = Math.max(0, (src.cx - src.w / 2) * 64 * sx + tx);
        expect(b.x1).toBeCloseTo(x1, 9);
        expect(b.y1).toBeCloseTo(Math.max(0, (src.cy - src.h / 2) * 64 * sx + ty), 9);
        // pixels whose centre is ≥ 1 px inside (≥ 0.67 source px at scale ≤ 1.5) sample only the rectangle
        let interior = 0;
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            if (x + 0.5 < b.x1 + 1 || x + 0.5 > b.x2 - 1 || y + 0.5 < b.y1 + 1 || y + 0.5 > b.y2 - 1) continue;
            expect(pixel(out.image, x, y)).toEqual(CLASS_COLORS[b.cls]);
            interior++;
          }
        }
        expect(interior).toBeGreaterThan(0);
        // just outside the box (where inside the image) is not the rectangle's colour
        const outside = [[b.x1 - 2, (b.y1 + b.y2) / 2], [b.x2 + 1.5, (b.y1 + b.y2) / 2]].filter(([x]) => x >= 0 && x < 32);
        for (const [x, y] of outside) expect(near(pixel(out.image, Math.floor(x), Math.floor(y)), CLASS_COLORS[b.cls], 40)).toBe(false);
      }
    }
  });

  it('with rotation and shear, the rectangle fills most of its box and no rectangle pixel is outside it', () => {
    const hyp = { ...still, degrees: 15, shear: 5, scale: 0.3 };
    const { image, boxes } = paintRects(64, 64, [{ cls: 0, x: 24, y: 26, w: 16, h: 12 }]);
    let checked = 0;
    for (let seed = 0; seed < 10; seed++) {
      const out = randomPerspective(image, toPixelBoxes(boxes, 64, 64), hyp, new Random(seed), -16);
      expect(out.boxes).toHaveLength(1);
      const b = out.boxes[0];
      let inside = 0, total = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const isRect = near(pixel(out.image, x, y), CLASS_COLORS[0], 1);
          const inBox = x + 0.5 > b.x1 && x + 0.5 < b.x2 && y + 0.5 > b.y1 && y + 0.5 < b.y2;
          if (isRect) expect(inBox).toBe(true);
          if (inBox) { total++; if (isRect) inside++; }
        }
      }
      expect(inside / total).toBeGreaterThan(0.5);
      checked++;
    }
    expect(checked).toBe(10);
  });

  it('perspective warps keep box corners on the warped rectangle', () => {
    const hyp = { ...still, perspective: 0.001 };
    const { image, boxes } = paintRects(64, 64, [{ cls: 3, x: 20, y: 20, w: 24, h: 24 }]);
    const { matrix, scale } = drawWarp(new Random(3), hyp, 64, 64, 32, 32);
    expect(matrix[6] !== 0 || matrix[7] !== 0).toBe(true);
    const warped = warpImage(image, matrix, 32, 32);
    const [b] = warpBoxes(toPixelBoxes(boxes, 64, 64), matrix, scale, 32, 32);
    expect(pixel(warped, Math.floor((b.x1 + b.x2) / 2), Math.floor((b.y1 + b.y2) / 2))).toEqual(CLASS_COLORS[3]);
  });

  it('box filter: w,h > 2 px, area ratio > 0.2, aspect < 20', () => {
    const before = { cls: 0, x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(keepBox(before, { cls: 0, x1: 0, y1: 0, x2: 10, y2: 10 }, 1)).toBe(true);
    expect(keepBox(before, { cls: 0, x1: 0, y1: 0, x2: 2, y2: 10 }, 1)).toBe(false); // 2 px wide
    expect(keepBox(before, { cls: 0, x1: 0, y1: 0, x2: 4, y2: 4 }, 1)).toBe(false); // 16 % of the area
    expect(keepBox(before, { cls: 0, x1: 0, y1: 0, x2: 4, y2: 4 }, 0.5)).toBe(true); // 64 % of the scaled area
    const long = { cls: 0, x1: 0, y1: 0, x2: 100, y2: 4 };
    expect(keepBox(long, { cls: 0, x1: 0, y1: 0, x2: 100, y2: 4.9 }, 1)).toBe(false); // aspect 20.4
  });
});

describe('HSV gains and flips', () => {
  it('zero gains change nothing; a value gain scales a grey image uniformly, within [1 − v, 1 + v]', () => {
    const { image } = paintRects(8, 8, []);
    const copy = { ...image, data: image.data.slice() };
    augmentHsv(copy, 0, 0, 0, new Random(1));
    expect(copy.data).toEqual(image.data);
    const grey = { width: 4, height: 1, data: Uint8Array.from([50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200]) };
    augmentHsv(grey, 0, 0, 0.4, new Random(7));
    const gains = [50, 100, 150, 200].map((v, i) => grey.data[i * 3] / v);
    for (let i = 0; i < 4; i++) {
      expect(grey.data[i * 3]).toBe(grey.data[i * 3 + 1]);
      expect(grey.data[i * 3 + 2]).toBe(grey.data[i * 3 + 1]);
    }
    expect(Math.max(...gains) - Math.min(...gains)).toBeLessThan(0.03);
    expect(gains[0]).toBeGreaterThan(0.58);
    expect(gains[0]).toBeLessThan(1.42);
  });

  it('a hue gain (multiplicative, as in the original LUT) rotates pure green but keeps its value', () => {
    const red = { width: 1, height: 1, data: Uint8Array.from([0, 255, 0]) };
    let changed = 0;
    for (let seed = 0; seed < 20; seed++) {
      const img = { ...red, data: red.data.slice() };
      augmentHsv(img, 0.1, 0, 0, new Random(seed));
      expect(Math.max(...img.data)).toBe(255);
      if (img.data[0] > 0 || img.data[2] > 0) changed++;
    }
    expect(changed).toBeGreaterThan(10);
  });

  it('left-right and up-down flips move pixels and boxes together', () => {
    const { image, boxes } = paintRects(16, 8, [{ cls: 1, x: 1, y: 2, w: 3, h: 4 }]);
    const px = toPixelBoxes(boxes, 16, 8);
    const [lr] = flipLeftRight(image, px);
    expect(lr).toEqual({ cls: 1, x1: 12, y1: 2, x2: 15, y2: 6 });
    expect(pixel(image, 13, 3)).toEqual(CLASS_COLORS[1]);
    expect(pixel(image, 2, 3)).toEqual(BACKGROUND);
    const [ud] = flipUpDown(image, [lr]);
    expect(ud).toEqual({ cls: 1, x1: 12, y1: 2, x2: 15, y2: 6 }); // symmetric in y: 8 − 6 = 2
    expect(pixel(image, 13, 3)).toEqual(CLASS_COLORS[1]);
  });
});
