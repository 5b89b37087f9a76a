import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/data/random';
import { decodePredictions } from '../../../src/eval/decode';
import type { RawLevel } from '../../../src/eval/types';

const anchors = [
  [[10, 13], [16, 30], [33, 23]],
  [[30, 61], [62, 45], [59, 119]],
] as const;
const strides = [8, 16];
const NO = 6; // nc = 1

/** Level 0: [1, 3, 2, 2, 6], level 1: [1, 3, 1, 1, 6]; every obj logit −10 (σ ≈ 4.5e-5) unless set. */
function handMadeLevels(): RawLevel[] {
  const l0 = new Float32Array(3 * 2 * 2 * NO);
  const l1 = new Float32Array(3 * 1 * 1 * NO);
  for (let r = 0; r < 12; r++) l0[r * NO + 4] = -10;
  for (let r = 0; r < 3; r++) l1[r * NO + 4] = -10;
  // Level 0, anchor 1 (16×30), y = 1, x = 0 → row (1·2 + 1)·2 + 0 = 6.
  l0.set([Math.log(3), -Math.log(3), Math.log(3), 0, Math.log(4), -Math.log(4)], 6 * NO);
  // Level 1, anchor 2 (59×119), the single cell: all logits 0 → σ = 0.5.
  l1.set([0, 0, 0, 0, 0, 0], 2 * NO);
  return [
    { data: l0, shape: [1, 3, 2, 2, NO] },
    { data: l1, shape: [1, 3, 1, 1, NO] },
  ];
}

describe('decodePredictions', () => {
  it('applies xy = (2σ−0.5+grid)·stride, wh = (2σ)²·anchor, obj = σ, cls = σ', () => {
    const [rows] = decodePredictions(handMadeLevels(), strides, anchors);
    expect(rows.length).toBe((12 + 3) * NO);
    // Level 0 row 6: σ(ln3) = 0.75, σ(−ln3) = 0.25.
    //   cx = (2·0.75 − 0.5 + 0)·8 = 8,  cy = (2·0.25 − 0.5 + 1)·8 = 8
    //   w = (2·0.75)²·16 = 36,  h = (2·0.5)²·30 = 30  → x1 = −10, y1 = −7, x2 = 26, y2 = 23
    //   obj = σ(ln4) = 0.8, cls = σ(−ln4) = 0.2
    const r6 = Array.from(rows.slice(6 * NO, 7 * NO));
    [-10, -7, 26, 23, 0.8, 0.2].forEach((v, i) => expect(r6[i]).toBeCloseTo(v, 5));
    // Level 1 anchor 2 (rows 12 + 2): σ = 0.5 everywhere → cx = cy = (1 − 0.5 + 0)·16 = 8, w = 59, h = 119
    //   → x1 = 8 − 29.5 = −21.5, y1 = 8 − 59.5 = −51.5, x2 = 37.5, y2 = 67.5
    const r14 = Array.from(rows.slice(14 * NO, 15 * NO));
    [-21.5, -51.5, 37.5, 67.5, 0.5, 0.5].forEach((v, i) => expect(r14[i]).toBeCloseTo(v, 5));
  });

  it('drops rows with obj ≤ objThres', () => {
    const [rows] = decodePredictions(handMadeLevels(), strides, anchors, { objThres: 0.001 });
    expect(rows.length).toBe(2 * NO);
    expect(rows[4]).toBeCloseTo(0.8, 6);
    expect(rows[NO + 4]).toBeCloseTo(0.5, 6);
  });

  it('on random logits, keeps exactly the rows whose σ(obj) > objThres, in level → anchor → y → x order', () => {
    const rng = new Random(7);
    const levels: RawLevel[] = ([[2, 3, 4, 4, NO], [2, 3, 2, 2, NO]] as const).map((shape) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-4, 4);
      return { data, shape };
    });
    const all = decodePredictions(levels, strides, anchors);
    const kept = decodePredictions(levels, strides, anchors, { objThres: 0.3 });
    for (let n = 0; n < 2; n++) {
      const expected = Array.from({ length: all[n].length / NO }, (_, r) => all[n].slice(r * NO, (r + 1) * NO)).filter((row) => row[4] > 0.3);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all[n].length / NO);
      expect(Array.from(kept[n])).toEqual(expected.flatMap((row) => Array.from(row)));
    }
  });
});
