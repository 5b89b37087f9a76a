/** `lab train` refuses bad arguments with a message naming them, before anything is built or written. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab } from './capture';

const tmp = mkdtempSync(join(tmpdir(), 'lab-train-args-'));
const model = 'public/models/yolov4-resnet50.yaml';

describe('lab train arguments', () => {
  it('--seed must be an integer', async () => {
    for (const seed of ['abc', '1.5', '']) {
      const out = join(tmp, `seed-${seed || 'empty'}`);
      const { code, stderr } = await lab('train', '--model', model, '--seed', seed, '--out', out, '--backend', 'cpu');
      expect(code).toBe(1);
      expect(stderr).toContain(`--seed must be an integer, got '${seed}'`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a dataset without a train split names its problems with the split error (a COCO json without images)', async () => {
    const data = join(tmp, 'coco');
    mkdirSync(join(data, 'annotations'), { recursive: true });
    writeFileSync(join(data, 'annotations', 'instances_train2017.json'), JSON.stringify({ annotations: [], categories: [{ id: 3, name: 'car' }] }));
    const { code, stderr } = await lab('train', '--model', model, '--data', data, '--out', join(tmp, 'coco-run'), '--backend', 'cpu');
    expect(code).toBe(1);
    expect(stderr).toMatch(/the data has no train split; its splits: .*\d+ data problems?:\n.*instances_train2017\.json/s);
  });
});
