import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledVehicles, generateVehicleFiles, summarizeDataset, VEHICLE_SET, vehicleSetFileList } from '../../../src/data/index.js';
import { nodeFileSource, nodeImageDecoder } from '../../../src/cli/node-files.js';
import { generateVehicleImage } from '../../../src/data/vehicles/generate.js';

const bundled = path.resolve(__dirname, '../../../public/data/vehicles');
/** Images per split regenerated here; LAB_REGEN_ALL=1 regenerates the whole set (about 30 s on one core). */
const CHECKED = process.env.LAB_REGEN_ALL ? Infinity : 50;

describe('the bundled vehicle set', () => {
  it(`regenerates byte-identically (data.yaml, manifest and the first ${CHECKED} images + labels of each split)`, () => {
    let compared = 0;
    for (const [file, bytes] of generateVehicleFiles(VEHICLE_SET, CHECKED)) {
      const committed = readFileSync(path.join(bundled, file));
      expect(Buffer.compare(committed, Buffer.from(bytes)), file).toBe(0);
      compared++;
    }
    expect(compared).toBe(2 + 2 * Object.values(VEHICLE_SET.splits).reduce((n, c) => n + Math.min(c, CHECKED), 0));
  });

  it('is index-addressable: image i does not depend on the images before it', () => {
    const direct = generateVehicleImage('val', 7);
    const again = generateVehicleImage('val', 7);
    expect(Buffer.compare(Buffer.from(direct.jpeg), Buffer.from(again.jpeg))).toBe(0);
    expect(Buffer.compare(Buffer.from(direct.jpeg), readFileSync(path.join(bundled, direct.file)))).toBe(0);
    expect(generateVehicleImage('train', 7).labels).not.toBe(direct.labels);
  });

  it('imports cleanly with the stated size, class mix and enough val boxes per class', async () => {
    const { dataset } = await bundledVehicles(nodeFileSource(bundled));
    expect(dataset.format).toBe('vehicles');
    expect(dataset.problems).toEqual([]);
    expect(dataset.names).toEqual(['motorcycle', 'car', 'bus', 'truck']);
    const summary = summarizeDataset(dataset);
    expect(summary.splits.train.images).toBe(800);
    expect(summary.splits.val.images).toBe(200);
    for (const split of ['train', 'val']) {
      const boxes = summary.splits[split].boxes;
      const total = Object.values(boxes).reduce((a, b) => a + b, 0);
      expect(boxes.car / total).toBeGreaterThan(0.45); // car-heavy
      for (const name of ['motorcycle', 'bus', 'truck']) expect(boxes[name] / total).toBeGreaterThan(0.08);
    }
    for (const count of Object.values(summary.splits.val.boxes)) expect(count).toBeGreaterThanOrEqual(100);
    const manifest = JSON.parse(readFileSync(path.join(bundled, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(vehicleSetFileList());
  });

  it('has several objects per image, small (P3) and large (P5) ones, truncation and overlap', async () => {
    const { dataset } = await bundledVehicles(nodeFileSource(bundled));
    const images = dataset.splits.train;
    const px = (v: number) => v * VEHICLE_SET.size;
    const all = images.flatMap((im) => im.boxes);
    expect(all.length / images.length).toBeGreaterThan(3);
    expect(all.filter((b) => Math.max(px(b.w), px(b.h)) < 32).length / all.length).toBeGreaterThan(0.2); // P3-sized
    expect(all.filter((b) => Math.max(px(b.w), px(b.h)) > 128).length / all.length).toBeGreaterThan(0.05); // P5-sized
    const touchesBorder = all.filter((b) => b.cx - b.w / 2 < 1e-6 || b.cx + b.w / 2 > 1 - 1e-6 || b.cy + b.h / 2 > 1 - 1e-6);
    expect(touchesBorder.length / all.length).toBeGreaterThan(0.03);
    const overlapping = images.filter((im) => im.boxes.some((a, i) => im.boxes.some((b, j) => j > i
      && Math.abs(a.cx - b.cx) < (a.w + b.w) / 2 && Math.abs(a.cy - b.cy) < (a.h + b.h) / 2)));
    expect(overlapping.length / images.length).toBeGreaterThan(0.1);
    for (const cls of [0, 1, 2, 3]) {
      const aspects = all.filter((b) => b.cls === cls && b.cx - b.w / 2 > 0 && b.cx + b.w / 2 < 1).map((b) => b.w / b.h);
      aspects.sort((a, b) => a - b);
      const median = aspects[Math.floor(aspects.length / 2)];
      // proportions differ by class: motorcycle with rider is the most upright, bus the longest
      if (cls === 0) expect(median).toBeLessThan(1.6);
      if (cls === 2) expect(median).toBeGreaterThan(2.6);
    }
  });

  it('encodes the same bytes where there is no global Buffer (as in a browser bundle)', () => {
    const holder = globalThis as { Buffer?: unknown };
    const saved = holder.Buffer;
    delete holder.Buffer;
    let image;
    try {
      image = generateVehicleImage('val', 3);
    } finally {
      holder.Buffer = saved;
    }
    expect(globalThis.Buffer).toBe(saved);
    expect(Buffer.compare(Buffer.from(image.jpeg), readFileSync(path.join(bundled, image.file)))).toBe(0);
  });

  it('the committed JPEGs decode to the generated pictures (quality check)', async () => {
    const image = generateVehicleImage('train', 3);
    const decoded = await nodeImageDecoder(readFileSync(path.join(bundled, image.file)), image.file);
    expect([decoded.width, decoded.height]).toEqual([VEHICLE_SET.size, VEHICLE_SET.size]);
    let error = 0;
    for (let i = 0; i < decoded.data.length; i++) error += Math.abs(decoded.data[i] - image.pixels[i]);
    expect(error / decoded.data.length).toBeLessThan(4);
  });
});
