import { randomPerspective } from './affine.js';
import { flipLeftRight, flipUpDown } from './flip.js';
import { augmentHsv } from './hsv.js';
import { letterbox } from './letterbox.js';
import { mosaic4 } from './mosaic.js';
import { toPixelBoxes, type PixelBox } from './pixel-boxes.js';
import type { Random } from './random.js';
import type { AugmentHyp, Box, RGBImage } from './types.js';

/** One dataset image, loaded at the training size (longer side = s), with its normalised boxes. */
export interface LoadedSample {
  image: RGBImage;
  boxes: readonly Box[];
}

export type SampleLoader = (index: number) => Promise<LoadedSample>;

/** load_mosaic(): this image plus 3 random ones on a 2s canvas, then the random warp down to s × s. */
async function loadMosaic(index: number, count: number, load: SampleLoader, s: number, hyp: AugmentHyp, rng: Random) {
  const indices = [index, rng.int(0, count - 1), rng.int(0, count - 1), rng.int(0, count - 1)];
  const pieces = [];
  for (const i of indices) {
    const { image, boxes } = await load(i);
    pieces.push({ image, boxes: toPixelBoxes(boxes, image.width, image.height) });
  }
  const { image, boxes } = mosaic4(pieces, s);
  return randomPerspective(image, boxes, hyp, rng, -s / 2);
}

/**
 * The training sample of ScaledYOLOv4's yolov4-large loader: mosaic (prob hyp.mosaic; otherwise letterbox and a
 * random warp), optional mixup of two mosaics, HSV gains, then up-down and left-right flips. Every draw comes from
 * `rng`, so a sample is a pure function of (index, rng seed).
 */
export async function trainSample(
  index: number, count: number, load: SampleLoader, s: number, hyp: AugmentHyp, rng: Random,
): Promise<{ image: RGBImage; boxes: PixelBox[] }> {
  let image: RGBImage;
  let boxes: PixelBox[];
  if (rng.chance(hyp.mosaic)) {
    ({ image, boxes } = await loadMosaic(index, count, load, s, hyp, rng));
    if (rng.chance(hyp.mixup)) {
      const other = await loadMosaic(rng.int(0, count - 1), count, load, s, hyp, rng);
      const r = rng.betaSymmetric(8);
      const a = image.data, b = other.image.data;
      for (let i = 0; i < a.length; i++) a[i] = Math.floor(a[i] * r + b[i] * (1 - r)); // astype(uint8) truncates
      boxes = boxes.concat(other.boxes);
    }
  } else {
    const sample = await load(index);
    const lb = letterbox(sample.image, s);
    const scaled = toPixelBoxes(sample.boxes, sample.image.width, sample.image.height, lb.ratio, lb.padX, lb.padY);
    ({ image, boxes } = randomPerspective(lb.image, scaled, hyp, rng, 0));
  }
  augmentHsv(image, hyp.hsv_h, hyp.hsv_s, hyp.hsv_v, rng);
  if (rng.chance(hyp.flipud)) boxes = flipUpDown(image, boxes);
  if (rng.chance(hyp.fliplr)) boxes = flipLeftRight(image, boxes);
  return { image, boxes };
}
