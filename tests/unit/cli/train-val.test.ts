/**
 * `lab train` then `lab val` on what it wrote, end to end through `main(argv)`: a tiny parity-config model on a
 * 4-image YOLO folder cut from the bundled vehicle set, 32 px, one epoch on the wasm backend.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../src/model/safetensors';
import { DEFAULT_HYP } from '../../../src/train/hyp';
import { EPOCH_TAGS } from '../../../src/train/tags';
import { lab } from './capture';

const BUNDLED = 'public/data/vehicles';
const MODEL = 'tests/fixtures/parity/yolov4-resnet50.yaml';
const NAMES = ['motorcycle', 'car', 'bus', 'truck'];

/** Two train and two val images (with their labels) of the bundled set, as a YOLO folder with a data.yaml. */
function writeTinyDataset(root: string): void {
  for (const split of ['train', 'val']) {
    mkdirSync(join(root, 'images', split), { recursive: true });
    mkdirSync(join(root, 'labels', split), { recursive: true });
    for (const i of [0, 1]) {
      const stem = `${split}_${String(i).padStart(5, '0')}`;
      copyFileSync(join(BUNDLED, 'images', split, `${stem}.jpg`), join(root, 'images', split, `${stem}.jpg`));
      copyFileSync(join(BUNDLED, 'labels', split, `${stem}.txt`), join(root, 'labels', split, `${stem}.txt`));
    }
  }
  writeFileSync(join(root, 'data.yaml'), `path: .\ntrain: images/train\nval: images/val\nnc: 4\nnames: [${NAMES.join(', ')}]\n`);
}

const tmp = mkdtempSync(join(tmpdir(), 'lab-cli-train-'));
const data = join(tmp, 'data');
const out = join(tmp, 'run');
const common = ['--model', MODEL, '--data', data, '--img', '32', '--batch', '2', '--backend', 'wasm'];

describe('lab train → lab val', () => {
  let lastRow: Record<string, number>;

  beforeAll(async () => {
    writeTinyDataset(data);
    const inspect = await lab('data', 'inspect', data, '--json');
    expect(JSON.parse(inspect.stdout).splits.val.images).toBe(2);
  });

  it('train writes results.csv, hyp.yaml, opt.yaml and best/last weights', async () => {
    const { code, stdout } = await lab('train', ...common, '--epochs', '1', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2 train \/ 2 val images at 32px, batch 2/);
    expect(stdout).toMatch(/done: 1 epochs/);

    const [header, ...rows] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(header.split(',').map((c) => c.trim())).toEqual(['epoch', ...EPOCH_TAGS]);
    expect(rows).toHaveLength(1);
    const values = rows[0].split(',').map(Number);
    expect(values.every(Number.isFinite)).toBe(true);
    lastRow = Object.fromEntries(['epoch', ...EPOCH_TAGS].map((key, i) => [key, values[i]]));
    expect(lastRow.epoch).toBe(0);
    expect(lastRow['train/box_loss']).toBeGreaterThan(0);
    expect(lastRow['val/obj_loss']).toBeGreaterThan(0);

    const hyp = loadYaml(readFileSync(join(out, 'hyp.yaml'), 'utf8')) as Record<string, unknown>;
    expect(hyp).toMatchObject(DEFAULT_HYP);
    const opt = loadYaml(readFileSync(join(out, 'opt.yaml'), 'utf8')) as Record<string, unknown>;
    expect(opt).toMatchObject({ model_path: MODEL, modelName: 'yolov4-resnet50.yaml', data: { kind: 'folder', path: data }, img: 32, batch: 2, epochs: 1, backend: 'wasm', out });
    expect(opt.classNames).toEqual(NAMES);

    const last = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'last.safetensors'))));
    const best = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'best.safetensors'))));
    expect(Object.keys(last).sort()).toEqual(Object.keys(best).sort());
    // The Detect head's 1×1 convs: 3 anchors × (4 classes + 5) outputs each.
    expect(last['model.28.m.0.weight'].shape[0]).toBe(27);
  });

  it('val --json prints the metric and val-loss tags of the trained weights', async () => {
    const weights = join(out, 'last.safetensors');
    const { code, stdout } = await lab('val', ...common, '--weights', weights, '--json');
    expect(code).toBe(0);
    const metrics = JSON.parse(stdout);
    const tagKeys = Object.keys(metrics).filter((key) => key.includes('/'));
    expect(tagKeys).toEqual(EPOCH_TAGS.filter((tag) => tag.startsWith('metrics/') || tag.startsWith('val/')));
    for (const tag of tagKeys) expect(Number.isFinite(metrics[tag])).toBe(true);
    expect(metrics.images).toBe(2);
    const targets = ['val_00000', 'val_00001']
      .map((stem) => readFileSync(join(data, 'labels', 'val', `${stem}.txt`), 'utf8').trim().split('\n').length)
      .reduce((a, b) => a + b, 0);
    expect(metrics.targets).toBe(targets);
    // last.safetensors holds the weights the epoch was validated with, so val reproduces its results.csv row.
    for (const tag of tagKeys) expect(metrics[tag]).toBeCloseTo(lastRow[tag], 5);
  });

  it('val needs only a val split: a folder without train images reads the same', async () => {
    const valOnly = join(tmp, 'val-only');
    mkdirSync(join(valOnly, 'images'), { recursive: true });
    mkdirSync(join(valOnly, 'labels'), { recursive: true });
    cpSync(join(data, 'images', 'val'), join(valOnly, 'images', 'val'), { recursive: true });
    cpSync(join(data, 'labels', 'val'), join(valOnly, 'labels', 'val'), { recursive: true });
    writeFileSync(join(valOnly, 'data.yaml'), `val: images/val\nnc: 4\nnames: [${NAMES.join(', ')}]\n`);
    const args = ['--model', MODEL, '--data', valOnly, '--img', '32', '--batch', '2', '--backend', 'wasm'];
    const { code, stdout, stderr } = await lab('val', ...args, '--weights', join(out, 'last.safetensors'), '--json');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)['metrics/mAP_0.5']).toBeCloseTo(lastRow['metrics/mAP_0.5'], 5);
  });

  it('val --save-json writes COCO detections', async () => {
    const file = join(tmp, 'detections.json');
    const { code, stdout } = await lab('val', ...common, '--weights', join(out, 'last.safetensors'), '--save-json', file);
    expect(code).toBe(0);
    const detections = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    expect(stdout).toContain(`wrote ${detections.length} detections to ${file}`);
    expect(detections.length).toBeGreaterThan(0);
    for (const d of detections) {
      expect(Object.keys(d).sort()).toEqual(['bbox', 'category_id', 'image_id', 'score']);
      expect(['val_00000', 'val_00001']).toContain(d.image_id);
      expect([1, 2, 3, 4]).toContain(d.category_id);
      const [x, y, w, h] = d.bbox as number[];
      expect(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= 320.001 && y + h <= 320.001).toBe(true);
      expect(d.score as number).toBeGreaterThan(0);
      expect(d.score as number).toBeLessThanOrEqual(1);
    }
  });
});
