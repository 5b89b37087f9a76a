/** AutoAnchor: the fit metric on hand-worked cases, the search on the bundled labels, bad data, the YAML it writes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../../src/cli/node-files';
import { loadDataset } from '../../../src/data/load-dataset';
import { withAnchors } from '../../../src/model/plan/anchors-yaml';
import { parseModelYaml } from '../../../src/model/plan/parse';
import { autoAnchor, labelSizes } from '../../../src/train/anchors/autoanchor';
import { anchorFit, labelReach } from '../../../src/train/anchors/fitness';

const sizes = (...wh: number[]) => Float64Array.from(wh);
const YAML = readFileSync('public/models/yolov4-resnet50.yaml', 'utf8');

describe('anchor fit', () => {
  it('matches hand-worked ratios, recall, anchors above threshold and fitness', () => {
    // (10,20) fits (10,20) exactly: r = 1. (40,40) vs (10,20): min(40/10, 10/40, 40/20, 20/40) = 0.25, not > 1/4.
    expect(anchorFit(sizes(10, 20, 40, 40), [[10, 20]], 4)).toEqual({ bpr: 0.5, aat: 0.5, fitness: 0.5 });
    // With (30,30) too: the second label's best is min(40/30, 30/40) = 0.75; each label is above 1/4 for one anchor
    // more: (10,20) vs (30,30) gives min(1/3, 2/3) = 1/3 > 1/4.
    const fit = anchorFit(sizes(10, 20, 40, 40), [[10, 20], [30, 30]], 4);
    expect(fit.bpr).toBe(1);
    expect(fit.aat).toBe(1.5);
    expect(fit.fitness).toBeCloseTo((1 + 0.75) / 2, 12);
    expect(anchorFit(sizes(), [[10, 20]], 4)).toEqual({ bpr: 0, aat: 0, fitness: 0 });
  });
});

describe('AutoAnchor', () => {
  const plan = parseModelYaml(YAML, { nc: 4, scale: 'n' });
  const run = (s: Float64Array, seed = 0) =>
    autoAnchor({ sizes: s, anchors: plan.detect.anchors, strides: plan.detect.strides, anchorT: 4, seed, generations: 300 });

  it("raises the recall of the YAML's 640-px anchors on the bundled labels at 128 px, deterministically per seed", async () => {
    const dataset = await loadDataset(nodeFileSource('public/data/vehicles'));
    const labels = labelSizes(dataset.splits.train, 128, 0);
    const first = run(labels);
    expect(first.before).toBeLessThan(0.98);
    expect(first.changed).toBe(true);
    expect(first.after).toBeGreaterThan(first.before);
    expect(first.message).toContain(`${first.before.toFixed(4)} → ${first.after.toFixed(4)}`);
    // Sorted by area onto the levels: every P3 anchor smaller than every P4 one, and so on.
    const areas = first.anchors.map((level) => level.map(([w, h]) => w * h));
    for (let l = 1; l < areas.length; l++) expect(Math.min(...areas[l])).toBeGreaterThanOrEqual(Math.max(...areas[l - 1]));
    expect(first.anchors.flat().flat().every(Number.isFinite)).toBe(true);
    expect(run(labels).anchors).toEqual(first.anchors);
    expect(run(labels, 1).anchors).not.toEqual(first.anchors);
  });

  it('keeps the anchors when they already fit', () => {
    const fitting = Float64Array.from(plan.detect.anchors.flat().flat());
    const result = run(fitting);
    expect(result).toMatchObject({ changed: false, before: 1, after: 1 });
    expect(result.message).toMatch(/best possible recall 1\.0000 ≥ 0\.98; keeping the YAML's anchors/);
  });

  it('reports data with no labels, or only sub-pixel boxes, and keeps the anchors (never NaN)', () => {
    const none = run(sizes());
    expect(none).toMatchObject({ changed: false, before: 0, after: 0 });
    expect(none.message).toMatch(/the training data has no labels; keeping the YAML's anchors/);
    const tiny = run(sizes(0.5, 0.2, 0.01, 0.9, 0, 0));
    expect(tiny.changed).toBe(false);
    expect(tiny.message).toMatch(/all 3 labels are under 2 pixels at this image size/);
    expect(tiny.anchors.flat().flat().every(Number.isFinite)).toBe(true);
  });
});

describe('a model YAML with other anchors', () => {
  it('replaces only the anchors block; the model builds with the new anchors and the same layers', () => {
    const anchors = [
      [[5, 6], [7, 9], [11, 10]],
      [[14, 20], [22, 18], [25, 33]],
      [[40, 35], [52.5, 60], [90, 80]],
    ] as const;
    const text = withAnchors(YAML, anchors);
    const before = parseModelYaml(YAML);
    const after = parseModelYaml(text);
    expect(after.detect.anchors).toEqual(anchors.map((l) => l.map(([w, h]) => [w, h])));
    expect(after.layers.length).toBe(before.layers.length);
    // Everything outside the anchors block is untouched.
    const outside = (t: string) => t.replace(/^anchors:[\s\S]*?(?=^\S)/m, '');
    expect(outside(text)).toBe(outside(YAML));
  });
});

describe('labelReach (the Learn tab\'s anchor view)', () => {
  it('flags by hand the labels no anchor reaches, and its share of reachable labels is the best possible recall', () => {
    // Anchor (10, 20), anchor_t 4: (10, 20) → 1; (40, 40) → 0.25, not > 1/4; (5, 30) → min(0.5, 2, 1.5, 0.67) = 0.5.
    const labels = sizes(10, 20, 40, 40, 5, 30);
    const { best, reachable } = labelReach(labels, [[10, 20]], 4);
    expect(Array.from(best)).toEqual([1, 0.25, 0.5]);
    expect(Array.from(reachable)).toEqual([1, 0, 1]);
    expect(anchorFit(labels, [[10, 20]], 4).bpr).toBeCloseTo(2 / 3, 12);
  });
});
