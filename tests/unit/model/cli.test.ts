/** `lab summary` and `lab forward`, run in-process. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run as forward } from '../../../src/cli/commands/forward';
import { run as summary } from '../../../src/cli/commands/summary';
import { decodeSafetensors, type SafeTensor } from '../../../src/model/safetensors';
import { MODELS_DIR, PARITY_DIR, relativeError } from './helpers';

const path = (dir: URL, file: string) => fileURLToPath(new URL(file, dir));

function captureStdout() {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('lab summary', () => {
  it('prints the table with the seed totals', async () => {
    const out = captureStdout();
    expect(await summary([path(MODELS_DIR, 'yolov4-resnext50.yaml')])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^\s+from\s+n\s+params\s+module\s+arguments/);
    expect(text).toMatch(/\n\s+4\s+-1\s+3\s+205824\s+resLayer\s+\[64, 64, 3, 1, 32, 4, True\]/);
    expect(text).toContain('Model Summary: 297 layers, 50111633 parameters, 50111633 gradients');
  });

  it('--json with --nc and --scale', async () => {
    const out = captureStdout();
    expect(await summary([path(MODELS_DIR, 'yolov4-csp.yaml'), '--json', '--nc', '80'])).toBe(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.parameters).toBe(52_924_765);
    expect(json.layers).toBe(334);
    expect(json.rows[31]).toEqual({ i: 31, from: [22, 26, 30], n: 1, params: 457_725, module: 'Detect', args: expect.any(Array) });
    out.length = 0;
    expect(await summary([path(MODELS_DIR, 'yolov4-csp.yaml'), '--json', '--scale', 'n'])).toBe(0);
    expect(JSON.parse(out.join('\n')).parameters).toBeLessThan(5_000_000);
  });

  it('rejects a bad option, and a bad YAML with its line', async () => {
    captureStdout();
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    expect(await summary([path(PARITY_DIR, 'yolov4-csp.yaml'), '--scale', 'x'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--scale must be one of n, s, m, l/);
    const bad = join(mkdtempSync(join(tmpdir(), 'lab-summary-')), 'bad.yaml');
    writeFileSync(bad, readFileSync(path(PARITY_DIR, 'yolov4-csp.yaml'), 'utf8').replace('Bottleneck,', 'Botleneck,'));
    expect(await summary([bad])).toBe(1);
    expect(errors.join('\n')).toMatch(/line 12:13, backbone\[2\] \(layer 2\): unknown module 'Botleneck'/);
  });
});

describe('lab forward', () => {
  it('reproduces the PyTorch eval outputs and writes train-mode running stats', async () => {
    captureStdout();
    const dir = mkdtempSync(join(tmpdir(), 'lab-forward-'));
    const reference = decodeSafetensors(new Uint8Array(readFileSync(path(PARITY_DIR, 'yolov4-resnext50.io.safetensors'))));
    const common = [
      '--model', path(PARITY_DIR, 'yolov4-resnext50.yaml'),
      '--weights', path(PARITY_DIR, 'yolov4-resnext50.weights.safetensors'),
      '--input', path(PARITY_DIR, 'yolov4-resnext50.io.safetensors'),
      '--backend', 'cpu',
    ];
    const toTensor = (t: SafeTensor) => tf.tensor(t.data as Float32Array, t.shape);
    for (const mode of ['eval', 'train']) {
      const out = join(dir, `${mode}.safetensors`);
      expect(await forward([...common, '--out', out, '--mode', mode])).toBe(0);
      const written = decodeSafetensors(new Uint8Array(readFileSync(out)));
      expect(written.p5.shape).toEqual([2, 3, 2, 2, 9]);
      const [a, b] = [toTensor(written.p3), toTensor(reference[`${mode}.p3`])];
      expect(await relativeError(a, b)).toBeLessThan(mode === 'eval' ? 1e-4 : 2e-3);
      tf.dispose([a, b]);
      expect('model.1.running_var' in written).toBe(mode === 'train');
    }
  });
});
