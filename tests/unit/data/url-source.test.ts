import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeManifest, loadDataset, parseManifest, urlFileSource } from '../../../src/data/index.js';
import { nodeFileSource } from '../../../src/cli/node-files.js';
import { paintRects } from './helpers.js';
import { encodeJpeg } from '../../../src/data/vehicles/jpeg.js';

const bundled = path.resolve(__dirname, '../../../public/data/vehicles');
const BASE = 'http://lab.test/data/vehicles/';

/** fetch over files (a folder, or files in memory), recording every URL asked for. */
function fakeFetch(read: (file: string) => Promise<Uint8Array>): { fetchFn: typeof fetch; requested: string[] } {
  const requested: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    try {
      return new Response((await read(decodeURIComponent(url.slice(BASE.length)))).slice());
    } catch {
      return new Response('not found', { status: 404 });
    }
  }) as typeof fetch;
  return { fetchFn, requested };
}

describe('the HTTP loader', () => {
  it('imports the bundled set from its manifest and data.yaml alone (no label or image request), as from the folder', async () => {
    const { fetchFn, requested } = fakeFetch((file) => readFile(path.join(bundled, file)));
    const overHttp = await loadDataset(urlFileSource(BASE, undefined, fetchFn), { format: 'yolo' });
    expect(requested).toEqual([`${BASE}manifest.json`, `${BASE}data.yaml`]);
    const fromFolder = await loadDataset(nodeFileSource(bundled), { format: 'yolo' });
    expect(overHttp).toEqual(fromFolder);
    expect(overHttp.splits.train).toHaveLength(800);
    expect(overHttp.problems).toEqual([]);
  });

  it('the bundled manifest holds every label file exactly as committed, and every image size', async () => {
    const manifest = parseManifest(JSON.parse(await readFile(path.join(bundled, 'manifest.json'), 'utf8')));
    const labelFiles = manifest.files.filter((file) => file.startsWith('labels/'));
    const imageFiles = manifest.files.filter((file) => file.startsWith('images/'));
    expect(Object.keys(manifest.labels ?? {}).sort()).toEqual(labelFiles.sort());
    for (const file of labelFiles) expect(manifest.labels![file], file).toBe(await readFile(path.join(bundled, file), 'utf8'));
    expect(Object.keys(manifest.imageSizes ?? {}).sort()).toEqual(imageFiles.sort());
    expect(new Set(Object.values(manifest.imageSizes!).map((size) => size.join('x')))).toEqual(new Set(['320x320']));
  });

  it('still reads a folder whose manifest only lists files, one request per label and image', async () => {
    const { image, boxes } = paintRects(64, 48, [{ cls: 1, x: 8, y: 8, w: 20, h: 16 }]);
    const files = new Map<string, Uint8Array>([
      ['data.yaml', new TextEncoder().encode('train: images/train\nnames: [motorcycle, car]\n')],
      ['images/train/a.jpg', encodeJpeg(image.data, image.width, image.height, 90)],
      ['labels/train/a.txt', new TextEncoder().encode(`1 ${boxes[0].cx} ${boxes[0].cy} ${boxes[0].w} ${boxes[0].h}\n`)],
    ]);
    files.set('manifest.json', new TextEncoder().encode(encodeManifest({ files: [...files.keys()] })));
    const { fetchFn, requested } = fakeFetch(async (file) => {
      const bytes = files.get(file);
      if (!bytes) throw new Error('missing');
      return bytes;
    });
    const dataset = await loadDataset(urlFileSource(BASE, undefined, fetchFn));
    expect(requested.map((url) => url.slice(BASE.length)).sort()).toEqual(['data.yaml', 'images/train/a.jpg', 'labels/train/a.txt', 'manifest.json']);
    expect(dataset.problems).toEqual([]);
    expect(dataset.splits.train).toHaveLength(1);
    expect(dataset.splits.train[0]).toMatchObject({ file: 'images/train/a.jpg', width: 64, height: 48 });
    expect(dataset.splits.train[0].boxes[0].cx).toBeCloseTo(boxes[0].cx, 6);
  });

  it('ignores malformed index entries instead of failing the import', () => {
    const manifest = parseManifest({ files: ['./a.jpg', 'b/../c.txt'], labels: { 'c.txt': 3, 'd.txt': '0 0.5 0.5 0.1 0.1\n' }, imageSizes: { 'a.jpg': [0, 5], 'e.jpg': [4, 2] } });
    expect(manifest).toEqual({ files: ['a.jpg', 'c.txt'], labels: { 'd.txt': '0 0.5 0.5 0.1 0.1\n' }, imageSizes: { 'e.jpg': [4, 2] } });
  });
});
