/** What the prediction viewer gets: each image's top 10 boxes whatever their score, then the rest above 0.05. */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../../src/data/types';
import type { Detection } from '../../../src/eval/types';
import { ALWAYS_SENT_DETECTIONS, MAX_SENT_DETECTIONS, predictionImages } from '../../../src/run/prediction-images';
import { MIN_SENT_SCORE } from '../../../src/run/progress';

function batchOf(n: number, size: number): Batch {
  return {
    images: new Float32Array(n * size * size * 3).fill(0.5),
    shape: [n, size, size, 3],
    targets: new Float32Array(0),
    numTargets: 0,
    items: Array.from({ length: n }, (_, i) => ({ file: `images/val/${i}.jpg`, ratio: 1, padX: 0, padY: 0, width: size, height: size })),
  } as unknown as Batch;
}

const box = (score: number): Detection => ({ x1: 1, y1: 1, x2: 5, y2: 5, cls: 0, score });

describe('prediction images', () => {
  it("send a young model's top 10 boxes whatever their score", () => {
    const scores = Array.from({ length: 30 }, (_, i) => 0.001 * (i + 1)); // all far below 0.05
    const [image] = predictionImages(batchOf(1, 8), [scores.map(box)], 1);
    expect(image.predictions).toHaveLength(ALWAYS_SENT_DETECTIONS);
    expect(image.predictions.map((p) => p.score)).toEqual([...scores].sort((a, b) => b - a).slice(0, 10));
  });

  it('send every box above 0.05 beyond the top 10, up to 100, best first', () => {
    const scores = [...Array.from({ length: 150 }, (_, i) => 0.06 + i / 1000), 0.01, 0.02];
    const [image] = predictionImages(batchOf(1, 8), [scores.map(box)], 1);
    expect(image.predictions).toHaveLength(MAX_SENT_DETECTIONS);
    expect(image.predictions.every((p) => (p.score ?? 0) >= MIN_SENT_SCORE)).toBe(true);
    expect(image.predictions[0].score).toBeCloseTo(0.06 + 149 / 1000, 9);
  });
});
