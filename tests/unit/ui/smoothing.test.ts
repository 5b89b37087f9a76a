import { describe, expect, it } from 'vitest';
import { debiasedEma } from '../../../src/ui/charts/smoothing';

describe('debiasedEma (TensorBoard smoothing)', () => {
  it('matches values computed by hand', () => {
    // w = 0.5, values 1, 2, 4:
    // k=1: last = 0.5           → 0.5 / (1 − 0.5)   = 1
    // k=2: last = 0.25 + 1      → 1.25 / (1 − 0.25) = 5/3
    // k=3: last = 0.625 + 2     → 2.625 / (1 − 0.125) = 3
    const smoothed = debiasedEma([1, 2, 4], 0.5);
    expect(smoothed[0]).toBeCloseTo(1, 12);
    expect(smoothed[1]).toBeCloseTo(5 / 3, 12);
    expect(smoothed[2]).toBeCloseTo(3, 12);
  });

  it('starts at the first raw value (the bias is removed) and lags a step change', () => {
    const raw = [10, 10, 10, 0, 0, 0];
    const smoothed = debiasedEma(raw, 0.9);
    expect(smoothed[0]).toBeCloseTo(10, 12);
    expect(smoothed[2]).toBeCloseTo(10, 12);
    expect(smoothed[3]).toBeGreaterThan(5);
    expect(smoothed[5]).toBeLessThan(smoothed[4]);
  });

  it('returns the raw series at weight 0 and a constant series unchanged', () => {
    expect(debiasedEma([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(debiasedEma([0.7, 0.7, 0.7], 0.99)).toEqual([0.7, 0.7, 0.7]);
  });

  it('passes non-finite values through without poisoning later points', () => {
    const smoothed = debiasedEma([1, NaN, 1], 0.6);
    expect(Number.isNaN(smoothed[1])).toBe(true);
    expect(smoothed[2]).toBeCloseTo(1, 12);
  });

  it('rejects weights outside [0, 1)', () => {
    expect(() => debiasedEma([1], 1)).toThrow(RangeError);
    expect(() => debiasedEma([1], -0.1)).toThrow(RangeError);
  });
});
