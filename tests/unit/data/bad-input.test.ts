import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, summarizeDataset } from '../../../src/data/index.js';
import { nodeFileSource } from '../../../src/cli/node-files.js';

const fixtures = path.resolve(__dirname, '../../fixtures/data');
const load = (name: string, format?: 'yolo' | 'coco') => loadDataset(nodeFileSource(path.join(fixtures, name)), { format });

describe('bad input is skipped and reported by file, never thrown', () => {
  it('a label file whose image is missing', async () => {
    const d = await load('yolo-missing-image');
    expect(d.problems).toEqual([{ file: 'labels/train/gone.txt', problem: 'missing image for this label file' }]);
    expect(d.splits.train.map((im) => im.file)).toEqual(['images/train/ok.png']);
  });

  it('an unreadable image', async () => {
    const d = await load('yolo-unreadable-image');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0].file).toBe('images/train/broken.jpg');
    expect(d.problems[0].problem).toMatch(/unreadable image/);
    expect(d.splits.train).toHaveLength(1);
    expect(d.splits.train[0]).toMatchObject({ width: 16, height: 12 });
  });

  it('a label line with the wrong field count', async () => {
    const d = await load('yolo-field-count');
    expect(d.problems).toEqual([{ file: 'labels/train/ok.txt:2', problem: expect.stringMatching(/wrong field count: 4/) }]);
    expect(d.splits.train[0].boxes).toEqual([{ cls: 1, cx: 0.5, cy: 0.5, w: 0.25, h: 0.5 }]);
  });

  it('a class id out of range', async () => {
    const d = await load('yolo-class-range');
    expect(d.problems).toEqual([{ file: 'labels/train/ok.txt:2', problem: 'class id 7 out of range 0..3' }]);
    expect(d.splits.train[0].boxes).toHaveLength(1);
  });

  it('a box outside [0,1] beyond the tolerance is dropped; one within 1e-3 is clipped', async () => {
    const d = await load('yolo-box-outside');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({ file: 'labels/train/ok.txt:2', problem: expect.stringMatching(/outside the image/) });
    const clipped = d.splits.train[0].boxes.find((b) => b.cls === 3)!;
    expect(clipped.cx + clipped.w / 2).toBeCloseTo(1, 12);
    expect(clipped.cx - clipped.w / 2).toBeCloseTo(0.8 - 0.401 / 2, 12);
  });

  it('a zero-area box', async () => {
    const d = await load('yolo-zero-area');
    expect(d.problems).toEqual([{ file: 'labels/train/ok.txt:2', problem: 'zero-area box' }]);
  });

  it('a duplicate file (same bytes in two places)', async () => {
    const d = await load('yolo-duplicate');
    expect(d.problems).toEqual([{ file: 'images/val/a-copy.png', problem: 'duplicate file (same bytes as images/train/a.png)' }]);
    expect(d.splits.train).toHaveLength(1);
    expect(d.splits.val).toHaveLength(0);
  });

  it('a json that is not COCO (wrong shape, or not json at all)', async () => {
    const d = await load('coco-not-coco');
    expect(d.format).toBe('coco');
    expect(d.problems.map((p) => p.file)).toEqual(['annotations/instances_train.json', 'annotations/instances_val.json']);
    expect(d.problems[0].problem).toMatch(/not a COCO instances json/);
    expect(d.problems[1].problem).toMatch(/not a COCO json/);
  });

  it('COCO: missing image, duplicate id, bad bbox; crowd and other classes dropped; border clip; class names case-insensitive', async () => {
    const d = await load('coco-problems');
    expect(d.names).toEqual(['motorcycle', 'car', 'bus', 'truck']);
    expect(d.problems).toEqual([
      { file: 'missing.png', problem: 'missing image' },
      { file: 'ok.png', problem: expect.stringMatching(/^duplicate file/) },
      { file: 'train/bad-box.png', problem: expect.stringMatching(/outside the image/) },
      { file: 'train/bad-box.png', problem: expect.stringMatching(/wrong field count in bbox: 3/) },
    ]);
    // split from instances_train.json; the person-only image is dropped (no background by default)
    expect(d.splits.train.map((im) => im.file)).toEqual(['train/bad-box.png', 'train/ok.png']);
    const ok = d.splits.train.find((im) => im.file === 'train/ok.png')!;
    expect(ok.boxes).toEqual([{ cls: 1, cx: 0.5, cy: 0.5, w: 0.5, h: 0.5 }]); // Car bbox [4,3,8,6]; crowd + person dropped
    const bus = d.splits.train.find((im) => im.file === 'train/bad-box.png')!.boxes;
    expect(bus).toHaveLength(1);
    expect(bus[0].cls).toBe(2);
    expect(bus[0].w).toBeCloseTo(1, 12); // 16.01 px of 16: within tolerance, clipped
  });

  it('COCO background images are kept only when asked', async () => {
    const d = await loadDataset(nodeFileSource(path.join(fixtures, 'coco-problems')), { background: true });
    const people = d.splits.train.find((im) => im.file === 'train/people.png');
    expect(people).toMatchObject({ boxes: [], background: true });
    expect(summarizeDataset(d).splits.train.background).toBe(1);
  });

  it('YOLO with classes.txt and images/<split>/: names kept, unlabeled image is a background', async () => {
    const d = await load('yolo-classes-txt');
    expect(d.names).toEqual(['cat', 'dog']);
    expect(d.problems).toEqual([]);
    expect(summarizeDataset(d).splits.train).toEqual({ images: 2, boxes: { cat: 0, dog: 1 }, background: 1 });
  });

  it('COCO splits from the json folder (Roboflow layout); width/height from the image when the json lacks them', async () => {
    const d = await load('coco-roboflow');
    expect(d.format).toBe('coco');
    expect(d.problems).toEqual([]);
    expect(d.splits.train).toEqual([{ file: 'train/a.png', width: 16, height: 12, boxes: [{ cls: 0, cx: 0.25, cy: 0.25, w: 0.5, h: 0.5 }] }]);
    expect(d.splits.valid).toEqual([{ file: 'valid/b.png', width: 16, height: 12, boxes: [{ cls: 3, cx: 0.75, cy: 0.75, w: 0.5, h: 0.5 }] }]);
  });
});
