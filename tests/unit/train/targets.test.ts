import { describe, expect, it } from 'vitest';
import { buildLevelTargets, lastWriteRows } from '../../../src/train/targets';

/** Rows of (imageIndex, class, cx, cy, w, h). */
function rows(...targets: number[][]): Float32Array {
  return Float32Array.from(targets.flat());
}

const level = { nx: 4, ny: 4, anchors: [[1, 1], [2, 2], [8, 8]] as [number, number][] };

function cells(t: ReturnType<typeof buildLevelTargets>): string[] {
  return Array.from({ length: t.count }, (_, r) => `a${t.anchor[r]} x${t.gridX[r]} y${t.gridY[r]}`);
}

describe('buildLevelTargets (rect4, g = 0.5)', () => {
  it('keeps anchors by the shape-ratio rule and adds the left and top neighbours', () => {
    // gx = 1.2, gy = 3.2 (both fractions < 0.5, both > 1 from the border); w = 1.5, h = 1.0 grid units.
    const t = buildLevelTargets(rows([0, 2, 0.3, 0.8, 0.375, 0.25]), 1, level, 4);
    // Anchor 2 (8×8) is 8/1.5 = 5.3× too big; centre rows first (anchor-major), then left, then top.
    expect(cells(t)).toEqual(['a0 x1 y3', 'a1 x1 y3', 'a0 x0 y3', 'a1 x0 y3', 'a0 x1 y2', 'a1 x1 y2']);
    const boxes = Array.from(t.box, (v) => Number(v.toFixed(5)));
    expect(boxes).toEqual([0.2, 0.2, 1.5, 1, 0.2, 0.2, 1.5, 1, 1.2, 0.2, 1.5, 1, 1.2, 0.2, 1.5, 1, 0.2, 1.2, 1.5, 1, 0.2, 1.2, 1.5, 1]);
    expect(Array.from(t.anchorWh)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2]);
    expect(Array.from(t.cls)).toEqual([2, 2, 2, 2, 2, 2]);
    // flat index into [N, na, ny, nx]: ((b·na + a)·ny + gj)·nx + gi
    expect(t.flatIndex[0]).toBe((0 * 3 + 0) * 16 + 3 * 4 + 1);
    expect(t.flatIndex[5]).toBe((0 * 3 + 1) * 16 + 2 * 4 + 1);
  });

  it('adds right and bottom neighbours when the fractions exceed 0.5', () => {
    // gx = 1.8, gy = 1.6 → right (x2) and bottom (y2); w = h = 1 → anchor 0 (ratio 1) and anchor 1 (ratio 2).
    const t = buildLevelTargets(rows([1, 0, 0.45, 0.4, 0.25, 0.25]), 1, level, 4);
    expect(cells(t)).toEqual(['a0 x1 y1', 'a1 x1 y1', 'a0 x2 y1', 'a1 x2 y1', 'a0 x1 y2', 'a1 x1 y2']);
    expect(Array.from(t.image)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(t.box[8]).toBeCloseTo(-0.2, 5); // 1.8 − 2
    expect(t.box[17]).toBeCloseTo(-0.4, 5); // 1.6 − 2
  });

  it('skips neighbours within one cell of the border and rejects ratio = anchor_t exactly', () => {
    // gx = 0.4 (left would need gx > 1), gy = 3.6 (bottom would need gy < ny − 1); w = h = 2: anchor 2 ratio is 4.
    const t = buildLevelTargets(rows([0, 1, 0.1, 0.9, 0.5, 0.5]), 1, level, 4);
    expect(cells(t)).toEqual(['a0 x0 y3', 'a1 x0 y3']);
  });

  it('clamps a box on the right/bottom edge to the last cell, offsets taken from the clamped cell', () => {
    const t = buildLevelTargets(rows([0, 0, 1.0, 1.0, 0.25, 0.25]), 1, level, 4);
    expect(cells(t).slice(0, 1)).toEqual(['a0 x3 y3']);
    expect(t.box[0]).toBeCloseTo(1, 6);
    expect(t.box[1]).toBeCloseTo(1, 6);
  });

  it('gives no rows for no targets, and the last write wins on shared cells', () => {
    expect(buildLevelTargets(new Float32Array(0), 0, level, 4).count).toBe(0);
    const kept = lastWriteRows(Int32Array.from([5, 7, 5, 9, 7]));
    expect(Array.from(kept.rows)).toEqual([2, 3, 4]);
    expect(Array.from(kept.flatIndex)).toEqual([5, 9, 7]);
  });
});

describe('positives against the PyTorch reference (what the Learn tab draws)', () => {
  it('the cells buildLevelTargets marks positive are exactly those where the reference box-loss gradient is non-zero', async () => {
    const { readFileSync } = await import('node:fs');
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/loss-reference.json', import.meta.url), 'utf8')) as {
      img: number;
      strides: number[];
      anchors: number[][][];
      hyp: { anchor_t: number };
      targets: number[];
      outputs: { shape: number[] }[];
      grads: number[][];
    };
    const targets = Float32Array.from(fixture.targets);
    fixture.outputs.forEach(({ shape }, level) => {
      const [n, na, ny, nx, no] = shape;
      const anchors = fixture.anchors[level].map(([w, h]) => [w / fixture.strides[level], h / fixture.strides[level]] as const);
      const t = buildLevelTargets(targets, targets.length / 6, { ny, nx, anchors }, fixture.hyp.anchor_t);
      const ours = new Set(Array.from(t.flatIndex));
      const reference = new Set<number>();
      for (let cell = 0; cell < n * na * ny * nx; cell++) if (fixture.grads[level][cell * no] !== 0) reference.add(cell);
      expect([...ours].sort((a, b) => a - b), `level ${level}`).toEqual([...reference].sort((a, b) => a - b));
      // Each positive names its box and whether it is the centre cell or a neighbour.
      for (let r = 0; r < t.count; r++) {
        expect(t.image[r]).toBe(targets[t.target[r] * 6]);
        const cx = Math.floor(targets[t.target[r] * 6 + 2] * nx);
        const cy = Math.floor(targets[t.target[r] * 6 + 3] * ny);
        if (!t.neighbour[r]) expect([t.gridX[r], t.gridY[r]]).toEqual([Math.min(cx, nx - 1), Math.min(cy, ny - 1)]);
      }
    });
  });
});
