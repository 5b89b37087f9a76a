/**
 * Deterministic little batches for the trainer tests: grey images with one or two bright rectangles, class 0 for wide
 * boxes and class 1 for tall ones, and the matching YOLO target rows. No augmentation.
 */
import type { Batch } from '../../../src/data/types';
import type { BatchSource } from '../../../src/train/trainer';

function box(image: Float32Array, img: number, x1: number, y1: number, x2: number, y2: number, value: number): void {
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) image.fill(value, (y * img + x) * 3, (y * img + x) * 3 + 3);
}

export function makeBatch(n: number, img: number, seed: number): Batch {
  const images = new Float32Array(n * img * img * 3).fill(0.45);
  const targets: number[] = [];
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let k = 0; k < n; k++) {
    const view = images.subarray(k * img * img * 3, (k + 1) * img * img * 3);
    const wide = k % 2 === 0;
    const w = Math.round(img * (wide ? 0.5 : 0.25));
    const h = Math.round(img * (wide ? 0.25 : 0.5));
    const x1 = Math.floor(rand() * (img - w));
    const y1 = Math.floor(rand() * (img - h));
    box(view, img, x1, y1, x1 + w, y1 + h, wide ? 0.95 : 0.1);
    targets.push(k, wide ? 0 : 1, (x1 + w / 2) / img, (y1 + h / 2) / img, w / img, h / img);
  }
  return {
    images,
    shape: [n, img, img, 3],
    targets: Float32Array.from(targets),
    numTargets: targets.length / 6,
    items: Array.from({ length: n }, (_, k) => ({ file: `${k}.png`, width: img, height: img, ratio: 1, padX: 0, padY: 0 })),
  };
}

/** The same fixed list of batches every epoch (deterministic, resumable at any iteration). */
export class FixedBatches implements BatchSource {
  constructor(private readonly batches: Batch[]) {}

  get batchesPerEpoch(): number {
    return this.batches.length;
  }

  async *epoch(_e: number, startIteration = 0): AsyncGenerator<Batch> {
    for (let i = startIteration; i < this.batches.length; i++) yield this.batches[i];
  }
}
