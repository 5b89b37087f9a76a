import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/data.js';
import { loadDataset, summarizeDataset, type Dataset } from '../../../src/data/index.js';
import { nodeFileSource } from '../../../src/cli/node-files.js';
import { sharedPath } from '../shared-dir';

const shared = sharedPath('datasets/coco-vehicles');
const cocoVehicles = shared.path;

/** Runs `lab data ...` and returns its stdout. */
async function lab(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    const code = await run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

describe.skipIf(!shared.present)(`data inspect on the real COCO vehicle subset${shared.present ? '' : ` (skipped: ${shared.reason})`}`, () => {
  for (const format of ['yolo', 'coco'] as const) {
    it(`reports 63 images and 210 boxes read as ${format}`, async () => {
      const { code, out } = await lab('inspect', cocoVehicles, '--format', format, '--json');
      expect(code).toBe(0);
      const summary = JSON.parse(out);
      expect(summary.format).toBe(format);
      expect(summary.names).toEqual(['motorcycle', 'car', 'bus', 'truck']);
      expect(summary.problems).toEqual([]);
      expect(summary.splits.train).toEqual({ images: 50, boxes: { motorcycle: 11, car: 124, bus: 15, truck: 25 }, background: 0 });
      expect(summary.splits.val).toEqual({ images: 13, boxes: { motorcycle: 5, car: 18, bus: 4, truck: 8 }, background: 0 });
    });
  }

  it('detects YOLO when a folder holds both formats, and prints a text report', async () => {
    const { code, out } = await lab('inspect', cocoVehicles);
    expect(code).toBe(0);
    expect(out).toContain('format: yolo');
    expect(out).toMatch(/train: 50 images, 175 boxes/);
    expect(out).toMatch(/val: 13 images, 35 boxes/);
  });

  it('gives the same boxes from the YOLO labels and from the COCO json (1e-5)', async () => {
    const source = nodeFileSource(cocoVehicles);
    const yolo = await loadDataset(source, { format: 'yolo' });
    const coco = await loadDataset(source, { format: 'coco' });
    const byFile = (d: Dataset) => new Map(Object.values(d.splits).flat().map((im) => [im.file, im]));
    const a = byFile(yolo);
    const b = byFile(coco);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    let compared = 0;
    for (const [file, im] of a) {
      const other = b.get(file)!;
      expect([other.width, other.height]).toEqual([im.width, im.height]);
      const sort = (boxes: typeof im.boxes) => [...boxes].sort((p, q) => p.cls - q.cls || p.cx - q.cx || p.cy - q.cy);
      const [ya, cb] = [sort(im.boxes), sort(other.boxes)];
      expect(cb.length).toBe(ya.length);
      ya.forEach((box, i) => {
        expect(cb[i].cls).toBe(box.cls);
        for (const k of ['cx', 'cy', 'w', 'h'] as const) expect(Math.abs(cb[i][k] - box[k])).toBeLessThan(1e-5);
        compared++;
      });
    }
    expect(compared).toBe(210);
  });

  it('picks other COCO categories with --classes (none of them here → backgrounds only)', async () => {
    const dataset = await loadDataset(nodeFileSource(cocoVehicles), { format: 'coco', classes: ['Bus'], background: true });
    const summary = summarizeDataset(dataset);
    expect(dataset.names).toEqual(['Bus']);
    expect(summary.splits.train.boxes).toEqual({ Bus: 15 });
    expect(summary.splits.train.background).toBe(50 - dataset.splits.train.filter((im) => im.boxes.length > 0).length);
    const withoutBackground = await loadDataset(nodeFileSource(cocoVehicles), { format: 'coco', classes: ['bus'] });
    expect(Object.values(withoutBackground.splits).flat().every((im) => im.boxes.length > 0)).toBe(true);
  });
});
