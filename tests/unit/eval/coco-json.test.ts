import { describe, expect, it } from 'vitest';
import { cocoDetections, cocoImageId } from '../../../src/eval/coco-json';

describe('COCO detection json', () => {
  it('uses the file stem as image_id, a number when all digits', () => {
    expect(cocoImageId('data/images/val/000123.jpg')).toBe(123);
    expect(cocoImageId('C:\\v\\car_7.png')).toBe('car_7');
    expect(cocoImageId('a/b/12.5.jpg')).toBe('12.5');
  });

  it('maps boxes back through the letterbox to original pixels as [x, y, w, h]', () => {
    // Original 256×128 letterboxed to 128×128: ratio 0.5, 128×64 image, pad top (128 − 64)/2 = 32.
    // Input box [10, 42, 30, 52] → x1 = 10/0.5 = 20, y1 = (42 − 32)/0.5 = 20, x2 = 60, y2 = (52 − 32)/0.5 = 40
    //   → bbox [20, 20, 40, 20].
    // Second box [120, 90, 140, 100] runs past the image: x2 = 280 → 256, y2 = 136 → 128;
    //   x1 = 240, y1 = 116 → bbox [240, 116, 16, 12].
    const out = cocoDetections(
      'images/000042.jpg',
      [
        { x1: 10, y1: 42, x2: 30, y2: 52, score: 0.123456789, cls: 0 },
        { x1: 120, y1: 90, x2: 140, y2: 100, score: 0.5, cls: 3 },
      ],
      { ratio: 0.5, pad: [0, 32] },
      { width: 256, height: 128 },
    );
    expect(out).toEqual([
      { image_id: 42, category_id: 1, bbox: [20, 20, 40, 20], score: 0.12346 },
      { image_id: 42, category_id: 4, bbox: [240, 116, 16, 12], score: 0.5 },
    ]);
  });
});
