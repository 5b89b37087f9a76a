import { describe, expect, it } from 'vitest';
import { SCRATCH_HYP } from '../../../src/train/hyp';
import { Schedule, cosineLf, finalAccumulate, warmupIterations } from '../../../src/train/schedule';

describe('schedule', () => {
  it('cosine lf runs from 1 to lrf', () => {
    expect(cosineLf(0, 300, 0.2)).toBe(1);
    expect(cosineLf(150, 300, 0.2)).toBeCloseTo(0.6, 12);
    expect(cosineLf(300, 300, 0.2)).toBeCloseTo(0.2, 12);
    expect(cosineLf(75, 300, 0.2)).toBeCloseTo(((1 + Math.SQRT1_2) / 2) * 0.8 + 0.2, 12);
  });

  it('accumulates to the nominal batch 64, rounding as Python does', () => {
    expect(finalAccumulate(16, 64)).toBe(4);
    expect(finalAccumulate(64, 64)).toBe(1);
    expect(finalAccumulate(128, 64)).toBe(1);
    expect(finalAccumulate(24, 64)).toBe(3); // 2.67
    expect(finalAccumulate(128 / 5, 64)).toBe(2); // 2.5 → 2 (half to even)
  });

  it('warms up for max(warmup_epochs·nb, warmup_min_iters) iterations', () => {
    expect(warmupIterations({ warmup_epochs: 3, warmup_min_iters: 1000 }, 50)).toBe(1000);
    expect(warmupIterations({ warmup_epochs: 3, warmup_min_iters: 100 }, 50)).toBe(150);
    expect(warmupIterations({ warmup_epochs: 3, warmup_min_iters: 100 }, 10)).toBe(100);
  });

  it('interpolates lrs, momentum and accumulate linearly during warm-up, then follows lr0·lf(epoch)', () => {
    // 50 batches per epoch, warmup 150 iterations, batch 16 → accumulate 1 → 4.
    const s = new Schedule({ hyp: { ...SCRATCH_HYP, warmup_min_iters: 100 }, epochs: 10, batchesPerEpoch: 50, batch: 16 });
    expect(s.warmupIters).toBe(150);
    const start = s.at(0, 0);
    expect(start.lrs).toEqual([0, 0, 0.1]);
    expect(start.momentum).toBe(0.8);
    expect(start.accumulate).toBe(1);

    const lf1 = cosineLf(1, 10, 0.2);
    const mid = s.at(75, 1); // halfway, in epoch 1
    expect(mid.lrs[0]).toBeCloseTo(0.5 * 0.01 * lf1, 12);
    expect(mid.lrs[1]).toBeCloseTo(0.5 * 0.01 * lf1, 12);
    expect(mid.lrs[2]).toBeCloseTo(0.1 + 0.5 * (0.01 * lf1 - 0.1), 12);
    expect(mid.momentum).toBeCloseTo(0.8685, 12);
    expect(mid.accumulate).toBe(2); // round(2.5) = 2

    const end = s.at(150, 3);
    expect(end.lrs.every((lr) => Math.abs(lr - 0.01 * cosineLf(3, 10, 0.2)) < 1e-15)).toBe(true);
    expect(end.momentum).toBe(0.937);
    expect(end.accumulate).toBe(4);

    const after = s.at(400, 8);
    expect(after.lrs).toEqual([0.01 * cosineLf(8, 10, 0.2), 0.01 * cosineLf(8, 10, 0.2), 0.01 * cosineLf(8, 10, 0.2)]);
    expect(after.momentum).toBe(0.937);
    expect(after.accumulate).toBe(4);
  });

  it('with no warm-up at all starts at the final values', () => {
    const s = new Schedule({ hyp: { ...SCRATCH_HYP, warmup_epochs: 0, warmup_min_iters: 0 }, epochs: 5, batchesPerEpoch: 4, batch: 64 });
    expect(s.at(0, 0)).toEqual({ lrs: [0.01, 0.01, 0.01], momentum: 0.937, accumulate: 1 });
  });
});
