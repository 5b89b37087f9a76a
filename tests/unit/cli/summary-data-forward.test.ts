/**
 * `lab summary`, `lab data inspect` and `lab forward`, end to end through the dispatcher's `main(argv)`.
 * Paths are given relative to the repository root, as a user would type them after `npm run lab --`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, type SafeTensor } from '../../../src/model/safetensors';
import { sharedPath } from '../shared-dir';
import { lab } from './capture';

const cocoVehicles = sharedPath('datasets/coco-vehicles');

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// The commands resolve relative paths against the working directory, which vitest sets to the repo root.
beforeAll(() => expect(join(process.cwd(), '/')).toBe(REPO_ROOT));

describe('lab summary', () => {
  it('--json gives the seed totals of SE-ResNet-50 and one row per YAML layer', async () => {
    const { code, stdout } = await lab('summary', 'public/models/yolov4-se-resnet50.yaml', '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.parameters).toBe(53_170_753);
    expect(summary.layers).toBe(361);
    expect(summary.rows.length).toBe(29); // 8 backbone + 21 head rows of the YAML
    summary.rows.forEach((row: Record<string, unknown>, i: number) => {
      expect(Object.keys(row).sort()).toEqual(['args', 'from', 'i', 'module', 'n', 'params']);
      expect(row.i).toBe(i);
      expect(typeof row.from === 'number' || (Array.isArray(row.from) && row.from.every(Number.isInteger))).toBe(true);
      expect(Number.isInteger(row.n) && Number.isInteger(row.params)).toBe(true);
      expect(typeof row.module).toBe('string');
      expect(Array.isArray(row.args)).toBe(true);
    });
    expect(summary.rows.reduce((sum: number, row: { params: number }) => sum + row.params, 0)).toBe(53_170_753);
    expect(summary.rows.at(-1)).toMatchObject({ module: 'Detect', from: expect.any(Array) });
  });

  it('a broken YAML exits non-zero and names the offending line', async () => {
    const source = readFileSync(join(REPO_ROOT, 'public/models/yolov4-se-resnet50.yaml'), 'utf8').split('\n');
    const target = source.findIndex((line) => line.includes('SPPCSP,'));
    expect(target).toBeGreaterThan(0);
    source[target] = source[target].replace('SPPCSP', 'SPPCPS');
    const file = join(mkdtempSync(join(tmpdir(), 'lab-cli-summary-')), 'broken.yaml');
    writeFileSync(file, source.join('\n'));

    const { code, stdout, stderr } = await lab('summary', file, '--json');
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(stderr).toMatch(new RegExp(`line ${target + 1}\\b`));
    expect(stderr).toContain("unknown module 'SPPCPS'");
  });
});

describe('lab as a process', () => {
  it('src/cli/lab.ts and bin/lab.mjs hand the exit code and output to the shell', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'lab-cli-process-')), 'broken.yaml');
    writeFileSync(broken, 'nc: 4\nbackbone:\n  [[-1, 1, Conv, [8, 3, 2]]\n');
    for (const entry of [['--import', 'tsx', 'src/cli/lab.ts'], ['bin/lab.mjs']]) {
      const ok = spawnSync(process.execPath, [...entry, 'summary', 'public/models/yolov4-se-resnet50.yaml'], { encoding: 'utf8' });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('Model Summary: 361 layers, 53170753 parameters');
      const bad = spawnSync(process.execPath, [...entry, 'summary', broken], { encoding: 'utf8' });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/line \d+/);
    }
  });
});

describe.skipIf(!cocoVehicles.present)(`lab data inspect${cocoVehicles.present ? '' : ` (skipped: ${cocoVehicles.reason})`}`, () => {
  it('--json reports the COCO vehicle subset in the documented shape', async () => {
    const { code, stdout } = await lab('data', 'inspect', cocoVehicles.path, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary).sort()).toEqual(['format', 'names', 'problems', 'splits']);
    expect(summary.format).toBe('yolo');
    expect(summary.names).toEqual(['motorcycle', 'car', 'bus', 'truck']);
    expect(summary.problems).toEqual([]);
    expect(Object.keys(summary.splits).sort()).toEqual(['train', 'val']);
    for (const split of Object.values(summary.splits) as Record<string, unknown>[]) {
      expect(Object.keys(split).sort()).toEqual(['background', 'boxes', 'images']);
      expect(Object.keys(split.boxes as object)).toEqual(summary.names);
    }
    // The split counts of the folder's README.
    expect(summary.splits.train).toEqual({ images: 50, boxes: { motorcycle: 11, car: 124, bus: 15, truck: 25 }, background: 0 });
    expect(summary.splits.val).toEqual({ images: 13, boxes: { motorcycle: 5, car: 18, bus: 4, truck: 8 }, background: 0 });

    const totals: Record<string, number> = {};
    let images = 0;
    for (const split of Object.values(summary.splits) as { images: number; boxes: Record<string, number> }[]) {
      images += split.images;
      for (const [name, count] of Object.entries(split.boxes)) totals[name] = (totals[name] ?? 0) + count;
    }
    expect(images).toBe(63);
    expect(totals).toEqual({ motorcycle: 16, car: 142, bus: 19, truck: 33 });
    expect(Object.values(totals).reduce((a, b) => a + b, 0)).toBe(210);
  });
});

/** max |a - b| / max |b|, the parity tests' measure. */
function relativeError(a: SafeTensor, b: SafeTensor): number {
  const [x, y] = [a.data as Float32Array, b.data as Float32Array];
  expect(x.length).toBe(y.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / scale;
}

describe('lab forward', () => {
  it('writes p3/p4/p5 of a parity fixture with the Detect shapes and PyTorch values', async () => {
    const fixture = (suffix: string) => `tests/fixtures/parity/yolov4-se-resnet50${suffix}`;
    const out = join(mkdtempSync(join(tmpdir(), 'lab-cli-forward-')), 'out.safetensors');
    const { code, stderr } = await lab(
      'forward',
      '--model', fixture('.yaml'),
      '--weights', fixture('.weights.safetensors'),
      '--input', fixture('.io.safetensors'),
      '--out', out,
      '--backend', 'cpu',
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote 3 tensors to ${out}`);

    const reference = decodeSafetensors(new Uint8Array(readFileSync(join(REPO_ROOT, fixture('.io.safetensors')))));
    const [n, channels, h, w] = reference.images.shape;
    expect(channels).toBe(3);
    const written = decodeSafetensors(new Uint8Array(readFileSync(out)));
    expect(Object.keys(written).sort()).toEqual(['p3', 'p4', 'p5']);
    [8, 16, 32].forEach((stride, level) => {
      const p = written[`p${level + 3}`];
      expect(p.dtype).toBe('F32');
      expect(p.shape).toEqual([n, 3, h / stride, w / stride, 4 + 5]);
      expect(relativeError(p, reference[`eval.p${level + 3}`])).toBeLessThan(1e-4);
    });
  });
});
