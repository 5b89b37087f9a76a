/** Data that used to slip through: odd class names, repeated COCO ids, a json without images, a JPEG with a bad body. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { nodeImageDecoder } from '../../../src/cli/node-files';
import { dataProblemsText, decodeEveryImage, loadDataset, memoryFileSource } from '../../../src/data/index';
import { lab } from '../cli/capture';

const encode = (text: string) => new TextEncoder().encode(text);
const png = (width: number, height: number) => new Uint8Array(PNG.sync.write(new PNG({ width, height })));

/** A real JPEG, and the same with the second half of its body cut off but its end marker kept (the header check passes). */
function jpegs(): { good: Uint8Array; corrupt: Uint8Array } {
  const data = new Uint8Array(32 * 32 * 4).map((_, i) => (i * 37) & 255);
  const good = new Uint8Array(jpeg.encode({ data, width: 32, height: 32 }, 80).data);
  return { good, corrupt: new Uint8Array([...good.subarray(0, good.length >> 1), 0xff, 0xd9]) };
}

describe('hostile data', () => {
  it('names that are not text are refused with their path (today they become "a,b", "[object Object]", "null")', async () => {
    const files = { 'data.yaml': encode('names: [[a, b], {a: 1}, null]\n'), 'images/train/a.png': png(8, 8), 'labels/train/a.txt': encode('') };
    const dataset = await loadDataset(memoryFileSource(files), { format: 'yolo' });
    expect(dataset.names).toEqual([]);
    expect(dataset.problems).toContainEqual({ file: 'data.yaml', problem: 'names[0] must be a class name (text), got ["a","b"]' });
    const mapping = { 'data.yaml': encode('names: {0: car, 1: [x]}\n'), 'images/train/a.png': png(8, 8) };
    const mapped = await loadDataset(memoryFileSource(mapping), { format: 'yolo' });
    expect(mapped.problems).toContainEqual({ file: 'data.yaml', problem: 'names.1 must be a class name (text), got ["x"]' });
    const numbers = await loadDataset(memoryFileSource({ 'data.yaml': encode('names: [0, car]\n'), 'images/train/a.png': png(8, 8) }), { format: 'yolo' });
    expect(numbers.names).toEqual(['0', 'car']);
  });

  const coco = (doc: unknown) => memoryFileSource({ 'instances_train.json': encode(JSON.stringify(doc)), 'a.png': png(10, 10) });
  const CATEGORIES = [{ id: 3, name: 'car' }];

  it('a duplicate COCO annotation id is counted once and reported', async () => {
    const annotation = { id: 7, image_id: 1, category_id: 3, bbox: [1, 1, 4, 4] };
    const dataset = await loadDataset(coco({ images: [{ id: 1, file_name: 'a.png' }], annotations: [annotation, { ...annotation }], categories: CATEGORIES }), { format: 'coco' });
    expect(dataset.splits.train[0].boxes).toHaveLength(1);
    expect(dataset.problems).toEqual([{ file: 'instances_train.json', problem: 'annotations[1]: duplicate annotation id 7 (counted once)' }]);
  });

  it('a COCO json without images says so; bad entries are reported by path and skipped', async () => {
    const missing = await loadDataset(coco({ annotations: [], categories: CATEGORIES }), { format: 'coco' });
    expect(missing.problems).toEqual([
      { file: 'instances_train.json', problem: 'not a COCO instances json: no "images" (needs images, annotations and categories arrays)' },
    ]);
    expect(dataProblemsText(missing)).toBe(`1 data problem:\n  instances_train.json: ${missing.problems[0].problem}`);
    const bad = await loadDataset(
      coco({ images: [null, { id: 1, file_name: 'a.png', width: 'wide' }, { id: 2, file_name: 'a.png' }], annotations: [{ image_id: 2, category_id: 3, bbox: [1, 1, 4, 4] }, 5], categories: [{ id: 3 }, ...CATEGORIES] }),
      { format: 'coco' },
    );
    expect(bad.problems.map((p) => p.problem)).toEqual([
      'images[0] must be an object, got null',
      'images[1].width must be a positive number, got "wide"',
      'categories[0].name must be a name, got nothing',
      'annotations[1] must be an object, got 5',
    ]);
    expect(bad.splits.train.map((im) => im.boxes.length)).toEqual([1]);
  });

  it('decodeEveryImage drops a JPEG whose body is corrupt, which the header check lets through', async () => {
    const { good, corrupt } = jpegs();
    const source = memoryFileSource({ 'data.yaml': encode('names: [car]\n'), 'images/train/good.jpg': good, 'images/train/bad.jpg': corrupt });
    const imported = await loadDataset(source, { format: 'yolo', background: true });
    expect(imported.splits.train).toHaveLength(2); // the header check alone accepts both
    const decoded = await decodeEveryImage(imported, source, nodeImageDecoder);
    expect(decoded.splits.train.map((im) => im.file)).toEqual(['images/train/good.jpg']);
    expect(decoded.problems).toEqual([{ file: 'images/train/bad.jpg', problem: expect.stringMatching(/^cannot decode image: /) }]);
  });

  it('`lab data inspect` reports the corrupt JPEG and counts only the good image', async () => {
    const { good, corrupt } = jpegs();
    const root = mkdtempSync(join(tmpdir(), 'lab-hostile-data-'));
    mkdirSync(join(root, 'images/train'), { recursive: true });
    mkdirSync(join(root, 'labels/train'), { recursive: true });
    writeFileSync(join(root, 'data.yaml'), 'names: [car]\n');
    writeFileSync(join(root, 'images/train/good.jpg'), good);
    writeFileSync(join(root, 'images/train/bad.jpg'), corrupt);
    writeFileSync(join(root, 'labels/train/good.txt'), '0 0.5 0.5 0.2 0.2\n');
    writeFileSync(join(root, 'labels/train/bad.txt'), '0 0.5 0.5 0.2 0.2\n');
    const { code, stdout } = await lab('data', 'inspect', root, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.problems).toEqual([{ file: 'images/train/bad.jpg', problem: expect.stringMatching(/^cannot decode image: /) }]);
    expect(summary.splits.train.images).toBe(1);
  });

  it('dataProblemsText lists the first few problems and counts the rest', () => {
    expect(dataProblemsText({ problems: [] })).toBe('');
    const problems = Array.from({ length: 7 }, (_, i) => ({ file: `f${i}`, problem: `p${i}` }));
    expect(dataProblemsText({ problems }, 2)).toBe('7 data problems:\n  f0: p0\n  f1: p1\n  … and 5 more');
  });
});
