/**
 * Fuzzing the dataset importers: data.yaml, YOLO label files and COCO json. An import never throws: every input gives
 * a dataset whose problems each name a file and say what is wrong in at most 300 characters.
 */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadDataset, memoryFileSource, type Dataset } from '../../../src/data/index';
import { aliasBombs, fuzzParams, MAX_MESSAGE, mutatedText, yamlishText } from './outcome';

const encode = (text: string) => new TextEncoder().encode(text);
const png = (width: number, height: number) => new Uint8Array(PNG.sync.write(new PNG({ width, height })));

/** A real dataset must come out: names are strings, boxes finite and normalised, problems short and placed. */
function checkDataset(dataset: Dataset): void {
  expect(dataset.names.every((name) => typeof name === 'string' && name.length <= MAX_MESSAGE)).toBe(true);
  for (const problem of dataset.problems) {
    expect(typeof problem.file).toBe('string');
    expect(problem.problem.length).toBeLessThanOrEqual(MAX_MESSAGE);
  }
  for (const image of Object.values(dataset.splits).flat()) {
    expect(image.width).toBeGreaterThan(0);
    expect(image.height).toBeGreaterThan(0);
    for (const box of image.boxes) {
      expect(Number.isInteger(box.cls) && box.cls >= 0).toBe(true);
      for (const v of [box.cx, box.cy, box.w, box.h]) expect(v >= 0 && v <= 1).toBe(true);
    }
  }
}

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null), fc.string({ maxLength: 6 }));

describe('fuzz: data.yaml', () => {
  it('any data.yaml gives a dataset with short problems', async () => {
    const doc = fc.record(
      { names: anyValue, nc: anyValue, train: anyValue, val: anyValue, path: anyValue },
      { requiredKeys: [] },
    ).map((d) => dump(d));
    const base = 'path: .\ntrain: images/train\nval: images/val\nnames: [car, bus]\n';
    await fc.assert(
      fc.asyncProperty(fc.oneof(doc, mutatedText(base), aliasBombs('names'), yamlishText), async (text) => {
        const files = { 'data.yaml': encode(text), 'images/train/a.png': png(8, 8), 'labels/train/a.txt': encode('0 0.5 0.5 0.2 0.2\n') };
        checkDataset(await loadDataset(memoryFileSource(files), { format: 'yolo' }));
      }),
      fuzzParams(200),
    );
  });
});

describe('fuzz: YOLO labels', () => {
  it('any label text gives boxes in range or problems naming the line', async () => {
    const token = fc.oneof(fc.double(), fc.integer({ min: -2, max: 5 }), fc.constantFrom('nan', 'inf', '-0', '1e400', '', ' ', '\t', '0x1'), fc.string({ maxLength: 4 }));
    const line = fc.array(token, { maxLength: 7 }).map((parts) => parts.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const files = { 'data.yaml': encode('names: [a, b, c]\n'), 'images/train/a.png': png(16, 12), 'labels/train/a.txt': encode(lines.join(eol)) };
        const dataset = await loadDataset(memoryFileSource(files), { format: 'yolo' });
        checkDataset(dataset);
        for (const problem of dataset.problems) expect(problem.file).toMatch(/^labels\/train\/a\.txt(:\d+)?$/);
      }),
      fuzzParams(300),
    );
  });
});

describe('fuzz: COCO json', () => {
  it('any instances json gives a dataset with short problems', async () => {
    const num = fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double(), anyValue);
    const image = fc.record({ id: num, file_name: fc.oneof(fc.constant('a.png'), anyValue), width: num, height: num }, { requiredKeys: [] });
    const annotation = fc.record(
      { id: num, image_id: num, category_id: num, bbox: fc.oneof(fc.array(num, { maxLength: 5 }), anyValue), iscrowd: num },
      { requiredKeys: [] },
    );
    const category = fc.record({ id: num, name: fc.oneof(fc.constantFrom('car', 'bus', 'truck', 'constructor'), anyValue) }, { requiredKeys: [] });
    const coco = fc.record(
      {
        images: fc.oneof(fc.array(fc.oneof(image, anyValue), { maxLength: 4 }), anyValue),
        annotations: fc.oneof(fc.array(fc.oneof(annotation, anyValue), { maxLength: 6 }), anyValue),
        categories: fc.oneof(fc.array(fc.oneof(category, anyValue), { maxLength: 4 }), anyValue),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof({ weight: 5, arbitrary: coco.map((c) => JSON.stringify(c)) }, fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(text, async (json) => {
        const files = { 'instances_train.json': encode(json), 'a.png': png(10, 10) };
        checkDataset(await loadDataset(memoryFileSource(files), { format: 'coco', background: true }));
      }),
      fuzzParams(300),
    );
  });
});
