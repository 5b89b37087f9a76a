import { describe, expect, it } from 'vitest';
import { minMaxBuckets } from '../../../src/ui/charts/downsample';

function noisySeries(n: number): { x: number; y: number }[] {
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, x) => ({ x, y: Math.exp(-x / 2000) + 0.1 * random() }));
}

describe('minMaxBuckets', () => {
  it('bounds the point count and keeps only input points, in x order', () => {
    const points = noisySeries(10_000);
    const shown = minMaxBuckets(points, 100);
    expect(shown.length).toBeLessThanOrEqual(400);
    expect(shown.length).toBeGreaterThan(100);
    for (let i = 1; i < shown.length; i++) expect(shown[i].x).toBeGreaterThan(shown[i - 1].x);
    for (const point of shown) expect(points[point.x]).toBe(point);
  });

  it('keeps the global extremes and both ends, including a single spike', () => {
    const points = noisySeries(5_000);
    points[3_333] = { x: 3_333, y: 50 };
    points[4_111] = { x: 4_111, y: -3 };
    const shown = minMaxBuckets(points, 50);
    const ys = shown.map((point) => point.y);
    expect(Math.max(...ys)).toBe(50);
    expect(Math.min(...ys)).toBe(-3);
    expect(shown[0]).toBe(points[0]);
    expect(shown[shown.length - 1]).toBe(points[points.length - 1]);
  });

  it('keeps every point of a short series', () => {
    const points = noisySeries(30);
    expect(minMaxBuckets(points, 10)).toEqual(points);
  });

  it('keeps the min and max of every bucket', () => {
    const points = noisySeries(1_000);
    const shown = new Set(minMaxBuckets(points, 10));
    for (let b = 0; b < 10; b++) {
      const bucket = points.slice(b * 100, (b + 1) * 100);
      const min = bucket.reduce((a, p) => (p.y < a.y ? p : a));
      const max = bucket.reduce((a, p) => (p.y > a.y ? p : a));
      expect(shown.has(min)).toBe(true);
      expect(shown.has(max)).toBe(true);
    }
  });
});
