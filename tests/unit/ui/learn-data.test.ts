/** The Learn tab's numbers: letterbox geometry by hand, recall as AutoAnchor measures it, every label in one size bin. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dataset, LabeledImage } from '../../../src/data/types';
import { anchorFit } from '../../../src/train/anchors/fitness';
import { labelSizes } from '../../../src/train/anchors/autoanchor';
import { anchorStudy, dataMismatch, imagePositives, letterboxedTargets, modelLevels, sizeHistogram, trainImages } from '../../../src/ui/learn/learn-data';

const image: LabeledImage = { file: 'a.jpg', width: 200, height: 100, boxes: [{ cls: 1, cx: 0.5, cy: 0.5, w: 0.5, h: 0.5 }, { cls: 0, cx: 0.1, cy: 0.9, w: 0.1, h: 0.2 }] };
const dataset: Dataset = { format: 'yolo', names: ['a', 'b'], splits: { train: [image], val: [] }, problems: [] };
const YAML = readFileSync('public/models/yolov4-resnet50.yaml', 'utf8');

describe('learn data', () => {
  it('letterboxes a 200×100 image to 64: 64×32 centred (16 px above), boxes normalised to the square', () => {
    const lb = letterboxedTargets(image, 64);
    expect([lb.width, lb.height, lb.padX, lb.padY]).toEqual([64, 32, 0, 16]);
    expect(Array.from(lb.targets.subarray(0, 6))).toEqual([0, 1, 0.5, 0.5, 0.5, 0.25]);
    // cx 0.1 → 6.4 px; cy 0.9 → 16 + 28.8 = 44.8 px; w 0.1 → 6.4 px; h 0.2 → 6.4 px.
    expect(Array.from(lb.targets.subarray(6, 12)).map((v) => +v.toFixed(4))).toEqual([0, 0, 0.1, 0.7, 0.1, 0.1]);
  });

  it('the recall is AutoAnchor\'s over the train labels; every label lands in one size bin and one level', () => {
    const { levels } = modelLevels(YAML, 2, 'n');
    const subject = { modelYaml: YAML, nc: 2, scale: 'n' as const, img: 64, seed: 3, anchorT: 4, dataset };
    const study = anchorStudy(subject, levels);
    const sizes = labelSizes(trainImages(dataset), 64, 3);
    expect(Array.from(study.sizes)).toEqual(Array.from(sizes));
    expect(study.bpr).toBe(anchorFit(sizes, levels.flatMap((l) => l.anchors), 4).bpr);
    expect(study.unreachable).toBe(2 - Math.round(study.bpr * 2));
    const histogram = sizeHistogram(study, levels, 64);
    expect(histogram.flatMap((row) => row.counts).reduce((a, b) => a + b, 0)).toBe(2);
    expect(histogram.map((row) => row.label)).toEqual(['< 2', '2–4', '4–8', '8–16', '16–32', '32–64']);
  });

  it('positives per level come from build_targets on the letterboxed boxes, each naming its box', () => {
    const { levels } = modelLevels(YAML, 2, 'n');
    const positives = imagePositives(image, 64, levels, 4);
    expect(positives.map((t) => t.count).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const t of positives) for (let r = 0; r < t.count; r++) expect([0, 1]).toContain(t.target[r]);
  });
});

describe('dataMismatch (a run explained with other labels)', () => {
  const blob = new Blob([]);
  it('is silent for the same source and names both otherwise', () => {
    expect(dataMismatch({ kind: 'url', baseUrl: 'data/vehicles/' }, { kind: 'url', baseUrl: 'data/vehicles/' })).toBeUndefined();
    const files = (...paths: string[]) => ({ kind: 'files' as const, files: paths.map((path) => ({ path, file: blob })) });
    expect(dataMismatch(files('a.jpg', 'b.jpg'), files('b.jpg', 'a.jpg'))).toBeUndefined();
    expect(dataMismatch(files('a.jpg'), files('c.jpg'))).toMatch(/1 imported files/);
    expect(dataMismatch(files('a.jpg'), { kind: 'url', baseUrl: 'data/vehicles/' })).toBe("the run trained on 1 imported files; the labels shown are the Data tab's (data/vehicles/)");
  });
});
