/**
 * Val images with their boxes for the prediction viewer, as transferable RGBA bytes. Boxes are in the letterboxed
 * batch image's pixels, which is the image sent.
 */
import type { Batch } from '../data/types';
import type { Detection } from '../eval/types';
import { groundTruthOf } from '../train/validate';
import { MIN_SENT_SCORE, type BoxInfo, type PredictionImage } from './progress';

/** Per image, the best detections are sent whatever their score. */
export const ALWAYS_SENT_DETECTIONS = 10;
/** Per image, the highest-scored detections only: enough to draw, small enough to send every epoch. */
export const MAX_SENT_DETECTIONS = 100;

/** The viewer's NMS: every score counts (a young model's best boxes score far below val's 0.001), best class per box. */
export const PREVIEW_NMS = { confThres: 0, maxDet: MAX_SENT_DETECTIONS, multiLabel: false } as const;

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
    const predictions: BoxInfo[] = [...detections[i]]
      .sort((a, b) => b.score - a.score)
      .filter((d, rank) => rank < ALWAYS_SENT_DETECTIONS || d.score >= MIN_SENT_SCORE)
      .slice(0, MAX_SENT_DETECTIONS)
      .map(({ x1, y1, x2, y2, cls, score }) => ({ x1, y1, x2, y2, cls, score }));
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
