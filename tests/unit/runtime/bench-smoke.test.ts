/**
 * The benchmark's CI smoke run: one tiny training step per model (the probe net and every backbone's YAML at scale n,
 * 64 px, batch 1) on wasm, through the same code as `npm run bench`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subject, YAML_MODELS } from '../../../src/bench/subjects';
import { benchRow } from '../../../src/bench/train-bench';

const root = join(__dirname, '..', '..', '..');
const tiny = { backend: 'wasm' as const, img: 64, batch: 1, steps: 1, warmup: 0 };

describe('bench smoke (wasm, one tiny step per model)', () => {
  const models = ['probe', ...Object.keys(YAML_MODELS)];
  for (const model of models) {
    it(`${model}: times a real training step with one readback`, async () => {
      const row = await benchRow(subject(model, 'n', root), tiny);
      expect(row.backend).toBe('wasm');
      expect(row.train_step_ms).toBeGreaterThan(0);
      expect(row.forward_ms).toBeGreaterThan(0);
      expect(row.images_per_s).toBeCloseTo(1000 / row.train_step_ms, 1);
      expect(row.readbacks_per_step).toBe(1); // the trainer's promise: one GPU→CPU readback per step
      expect(row.peak_tensors).toBeGreaterThan(row.params > 0 ? 10 : 0);
      expect(row.peak_bytes).toBeGreaterThan(row.params * 4); // at least the weights
      expect(row.kernel_ms).toBeGreaterThan(0);
      // On wasm a dispatch is a kernel call, and the counts come from a real step (thousands of kernels at scale n).
      expect(row.dispatches_per_step).toBe(row.kernels_per_step);
      expect(row.kernels_per_step).toBeGreaterThan(100);
      expect(row.upload_bytes_per_step).toBeNull();
    });
  }
});
