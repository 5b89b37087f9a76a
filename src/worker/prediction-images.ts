/**
 * Val images with their boxes for the prediction viewer, as transferable RGBA bytes. Boxes are in the letterboxed
 * batch image's pixels, which is the image sent.
 */
import type { Batch } from '../data/types';
import type { Detection } from '../eval/types';
import { groundTruthOf } from '../train/validate';
import { LOW_CONFIDENCE_SCORE, type BoxInfo, type PredictionImage } from './protocol';

/** Detections below this score are sent only among an image's top MIN_SENT_DETECTIONS (labelled low-confidence). */
export const MIN_SENT_SCORE = LOW_CONFIDENCE_SCORE;
/** Per image, the top detections are sent whatever their score, so a young model's best guesses still show. */
export const MIN_SENT_DETECTIONS = 10;
/** Per image, the highest-scored detections only: enough to draw, small enough to send every epoch. */
export const MAX_SENT_DETECTIONS = 100;

/** One image's detections to send: the top MIN_SENT_DETECTIONS, then any others ≥ MIN_SENT_SCORE, best first. */
export function sentDetections(detections: readonly Detection[]): BoxInfo[] {
  return [...detections]
    .sort((a, b) => b.score - a.score)
    .filter((d, rank) => rank < MIN_SENT_DETECTIONS || d.score >= MIN_SENT_SCORE)
    .slice(0, MAX_SENT_DETECTIONS)
    .map(({ x1, y1, x2, y2, cls, score }) => ({ x1, y1, x2, y2, cls, score }));
}

function rgba8(batch: Batch, index: number): ArrayBuffer {
  const [, height, width] = batch.shape;
  const pixels = width * height;
  const source = batch.images.subarray(index * pixels * 3, (index + 1) * pixels * 3);
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    out[p * 4] = source[p * 3] * 255;
    out[p * 4 + 1] = source[p * 3 + 1] * 255;
    out[p * 4 + 2] = source[p * 3 + 2] * 255;
    out[p * 4 + 3] = 255;
  }
  return out.buffer;
}

export function predictionImages(batch: Batch, detections: Detection[][], limit: number): PredictionImage[] {
  const [n, height, width] = batch.shape;
  const truth = groundTruthOf(batch);
  const images: PredictionImage[] = [];
  for (let i = 0; i < Math.min(n, limit); i++) {
    const predictions = sentDetections(detections[i]);
    images.push({
      name: batch.items[i].file,
      width,
      height,
      encoding: 'rgba8',
      bytes: rgba8(batch, i),
      predictions,
      truth: truth[i].map(({ x1, y1, x2, y2, cls }) => ({ x1, y1, x2, y2, cls })),
    });
  }
  return images;
}
