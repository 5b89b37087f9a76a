/**
 * A fixed, seeded training batch (random images, three boxes per image) in the data core's Batch layout. Timing does
 * not depend on pixel values, and fixed targets keep every step's loss work the same.
 */
import type { Batch } from '../data/types';

export function syntheticBatch(batch: number, img: number, nc: number, seed = 1): Batch {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const images = new Float32Array(batch * img * img * 3);
  for (let i = 0; i < images.length; i++) images[i] = rand();
  const perImage = 3;
  const targets = new Float32Array(batch * perImage * 6);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < perImage; k++) {
      const w = 0.1 + 0.3 * rand();
      const h = 0.1 + 0.3 * rand();
      const row = (b * perImage + k) * 6;
      targets.set([b, Math.floor(rand() * nc), w / 2 + (1 - w) * rand(), h / 2 + (1 - h) * rand(), w, h], row);
    }
  }
  return {
    images,
    shape: [batch, img, img, 3],
    targets,
    numTargets: batch * perImage,
    items: Array.from({ length: batch }, (_, i) => ({ file: `synthetic-${i}`, width: img, height: img, ratio: 1, padX: 0, padY: 0 })),
  };
}
