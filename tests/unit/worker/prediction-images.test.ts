import { describe, expect, it } from 'vitest';
import { MAX_SENT_DETECTIONS, MIN_SENT_DETECTIONS, MIN_SENT_SCORE, sentDetections } from '../../../src/worker/prediction-images';

const detection = (score: number, cls = 0) => ({ x1: 0, y1: 0, x2: 10, y2: 10, score, cls });

describe('detections sent to the prediction viewer', () => {
  it("sends a young model's top 10 whatever their score, best first", () => {
    const scores = Array.from({ length: 30 }, (_, i) => (i + 1) * 1e-4); // all below 0.05
    const sent = sentDetections(scores.map((score) => detection(score)));
    expect(sent).toHaveLength(MIN_SENT_DETECTIONS);
    expect(sent.map((box) => box.score)).toEqual(scores.slice(-10).reverse());
  });

  it('sends every detection at or above the cut beyond the top 10, up to the cap', () => {
    const confident = Array.from({ length: 150 }, (_, i) => detection(MIN_SENT_SCORE + i * 1e-3));
    const faint = Array.from({ length: 5 }, () => detection(0.01));
    expect(sentDetections([...faint, ...confident])).toHaveLength(MAX_SENT_DETECTIONS);
    const few = sentDetections([...faint, ...confident.slice(0, 12)]);
    expect(few).toHaveLength(12);
    expect(few.every((box) => box.score! >= MIN_SENT_SCORE)).toBe(true);
  });

  it('keeps box, class and score only', () => {
    expect(sentDetections([{ ...detection(0.3, 2), extra: 1 } as ReturnType<typeof detection>])).toEqual([{ x1: 0, y1: 0, x2: 10, y2: 10, cls: 2, score: 0.3 }]);
  });
});
