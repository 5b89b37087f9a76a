import { describe, expect, it } from 'vitest';
import { createBatchLoader, DEFAULT_AUGMENT_HYP, type Batch, type BatchLoaderOptions } from '../../../src/data/index.js';
import { CLASS_COLORS, memoryDataset, near, paintRects, type Rect } from './helpers.js';

/** 10 images of 48–64 px with 1–3 solid rectangles each, one colour per class. */
function rectDataset() {
  const entries = Array.from({ length: 10 }, (_, i) => {
    const width = 48 + (i % 3) * 8;
    const height = 64 - (i % 2) * 16;
    const rects: Rect[] = [{ cls: i % 4, x: 4 + i, y: 6, w: 14 + i, h: 12 }];
    if (i % 2 === 0) rects.push({ cls: (i + 1) % 4, x: 26, y: 28, w: 16, h: 10 + i });
    if (i % 3 === 0) rects.push({ cls: (i + 2) % 4, x: 6, y: 30, w: 10, h: 14 });
    return { file: `img${i}.png`, ...paintRects(width, height, rects) };
  });
  return memoryDataset(entries);
}

async function collect(iterable: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of iterable) out.push(b);
  return out;
}

const base = (overrides: Partial<BatchLoaderOptions> = {}): BatchLoaderOptions => {
  const { dataset, images } = rectDataset();
  return { dataset, split: 'train', images, img: 32, batch: 4, augment: true, hyp: DEFAULT_AUGMENT_HYP, seed: 7, shuffle: true, ...overrides };
};

/** The batch image k as RGB bytes. */
function imageBytes(batch: Batch, k: number): Uint8Array {
  const [, h, w] = batch.shape;
  const n = h * w * 3;
  return Uint8Array.from(batch.images.subarray(k * n, (k + 1) * n), (v) => Math.round(v * 255));
}

describe('batch loader', () => {
  it('yields NHWC float batches in [0,1] and normalised (image, class, cx, cy, w, h) targets', async () => {
    const loader = createBatchLoader(base());
    expect(loader.batchesPerEpoch).toBe(3);
    const batches = await collect(loader.epoch(0));
    expect(batches.map((b) => b.shape)).toEqual([[4, 32, 32, 3], [4, 32, 32, 3], [2, 32, 32, 3]]);
    let targets = 0;
    for (const b of batches) {
      expect(b.images.length).toBe(b.shape[0] * 32 * 32 * 3);
      expect(b.images.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(b.targets.length).toBe(b.numTargets * 6);
      for (let t = 0; t < b.numTargets; t++) {
        const [img, cls, cx, cy, w, h] = b.targets.subarray(t * 6, t * 6 + 6);
        expect(img).toBeLessThan(b.shape[0]);
        expect([0, 1, 2, 3]).toContain(cls);
        expect(cx - w / 2).toBeGreaterThanOrEqual(-1e-6);
        expect(cy + h / 2).toBeLessThanOrEqual(1 + 1e-6);
        expect(w * 32).toBeGreaterThan(2);
      }
      targets += b.numTargets;
    }
    expect(targets).toBeGreaterThan(5);
  });

  it('is a pure function of (seed, epoch): repeatable, resumable mid-epoch, different across epochs and seeds', async () => {
    const a = await collect(createBatchLoader(base()).epoch(2));
    const b = await collect(createBatchLoader(base()).epoch(2));
    expect(b.map((x) => x.images)).toEqual(a.map((x) => x.images));
    expect(b.map((x) => x.targets)).toEqual(a.map((x) => x.targets));
    const loader = createBatchLoader(base());
    await collect(loader.epoch(0)); // running earlier epochs first changes nothing
    const resumed = await collect(loader.epoch(2, 1));
    expect(resumed).toHaveLength(2);
    expect(resumed[0].images).toEqual(a[1].images);
    expect(resumed[1].targets).toEqual(a[2].targets);
    const other = await collect(createBatchLoader(base()).epoch(3));
    expect(other[0].images).not.toEqual(a[0].images);
    const otherSeed = await collect(createBatchLoader(base({ seed: 8 })).epoch(2));
    expect(otherSeed[0].images).not.toEqual(a[0].images);
  });

  it('keeps boxes on their objects through mosaic, affine, mixup and flips (checked by drawing)', async () => {
    const hyp = { ...DEFAULT_AUGMENT_HYP, hsv_h: 0, hsv_s: 0, hsv_v: 0, flipud: 0.5, mixup: 0 };
    let boxesChecked = 0;
    for (const epoch of [0, 1, 2]) {
      for (const batch of await collect(createBatchLoader(base({ hyp, img: 64 })).epoch(epoch))) {
        for (let t = 0; t < batch.numTargets; t++) {
          const [k, cls, cx, cy, w, h] = Array.from(batch.targets.subarray(t * 6, t * 6 + 6));
          const bytes = imageBytes(batch, k);
          const [x1, y1, x2, y2] = [(cx - w / 2) * 64, (cy - h / 2) * 64, (cx + w / 2) * 64, (cy + h / 2) * 64];
          let interior = 0;
          for (let y = 0; y < 64; y++) {
            for (let x = 0; x < 64; x++) {
              // 2 px in: load_image enlarges the 48 px images to 64 (a bilinear ramp), then the warp scales again
              if (x + 0.5 < x1 + 2 || x + 0.5 > x2 - 2 || y + 0.5 < y1 + 2 || y + 0.5 > y2 - 2) continue;
              const p = (y * 64 + x) * 3;
              // rectangles of the same class may overlap across mosaic tiles; another class may not cover this box
              if (!near([bytes[p], bytes[p + 1], bytes[p + 2]], CLASS_COLORS[cls], 3)) {
                throw new Error(`epoch ${epoch} image ${k} box ${[cls, x1, y1, x2, y2].map((v) => v.toFixed(2))} pixel ${x},${y} = ${bytes.subarray(p, p + 3)}`);
              }
              interior++;
            }
          }
          if (interior > 0) boxesChecked++;
        }
      }
    }
    expect(boxesChecked).toBeGreaterThan(20);
  });

  it('mixup adds the second mosaic and its boxes', async () => {
    const plain = await collect(createBatchLoader(base()).epoch(0));
    const mixed = await collect(createBatchLoader(base({ hyp: { ...DEFAULT_AUGMENT_HYP, mixup: 1 } })).epoch(0));
    const count = (bs: Batch[]) => bs.reduce((n, b) => n + b.numTargets, 0);
    expect(count(mixed)).toBeGreaterThan(count(plain));
  });

  it('val path: letterbox only, in order, with items that map boxes back to original pixels', async () => {
    const options = base({ augment: false, shuffle: false, split: 'val', img: 64, batch: 3 });
    const batches = await collect(createBatchLoader(options).epoch(5));
    const again = await collect(createBatchLoader(options).epoch(9));
    expect(again.map((b) => b.images)).toEqual(batches.map((b) => b.images)); // no randomness on the val path
    const labeled = options.dataset.splits.val;
    let index = 0;
    for (const batch of batches) {
      batch.items.forEach((item, k) => {
        const source = labeled[index++];
        expect(item.file).toBe(source.file);
        expect([item.width, item.height]).toEqual([source.width, source.height]);
        const rows = [];
        for (let t = 0; t < batch.numTargets; t++) if (batch.targets[t * 6] === k) rows.push(batch.targets.subarray(t * 6, t * 6 + 6));
        expect(rows).toHaveLength(source.boxes.length);
        rows.forEach((row, j) => {
          const b = source.boxes[j];
          // batch pixels → original pixels: (v − pad) / ratio
          // within half a pixel: the resized side is rounded to whole pixels, as in the original letterbox
          expect(Math.abs((row[2] * 64 - item.padX) / item.ratio - b.cx * source.width)).toBeLessThan(0.5);
          expect(Math.abs((row[3] * 64 - item.padY) / item.ratio - b.cy * source.height)).toBeLessThan(0.5);
          expect(Math.abs((row[4] * 64) / item.ratio - b.w * source.width)).toBeLessThan(0.5);
          const bytes = imageBytes(batch, k);
          const p = (Math.floor(row[3] * 64) * 64 + Math.floor(row[2] * 64)) * 3;
          expect(near([bytes[p], bytes[p + 1], bytes[p + 2]], CLASS_COLORS[b.cls], 3)).toBe(true);
        });
      });
    }
  });

  it('can leave background images out, and replaces an undecodable image with grey, reporting it', async () => {
    const { dataset, images } = rectDataset();
    dataset.splits.train.push({ file: 'empty.png', width: 40, height: 40, boxes: [], background: true });
    dataset.splits.train.push({ file: 'corrupt.png', width: 40, height: 40, boxes: [{ cls: 0, cx: 0.5, cy: 0.5, w: 0.2, h: 0.2 }] });
    const provider = {
      get: (file: string) => (file === 'empty.png' ? Promise.resolve(paintRects(40, 40, []).image)
        : file === 'corrupt.png' ? Promise.reject(new Error('bad huffman table')) : images.get(file)),
    };
    expect(createBatchLoader({ ...base(), dataset, images: provider, background: false }).size).toBe(11);
    const problems: string[] = [];
    const loader = createBatchLoader({ ...base(), dataset, images: provider, augment: false, shuffle: false, onProblem: (p) => problems.push(p.file) });
    expect(loader.size).toBe(12);
    await collect(loader.epoch(0));
    expect(problems).toEqual(['corrupt.png']);
  });
});
