/**
 * `npx tsx scripts/count-dispatches.ts [--backend webgpu|wasm|cpu] [--scale n] [--img 128] [--batch 4] [--models a,b]`:
 * one train step per backbone through the real Trainer (after one warm-up step), counted by
 * src/runtime/dispatch-counter.ts, plus the step's kernels by name. Deterministic: no timing.
 */
import * as tf from '@tensorflow/tfjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subject, YAML_MODELS } from '../src/bench/subjects';
import { syntheticBatch } from '../src/bench/synthetic-batch';
import { timingTrainer } from '../src/bench/train-bench';
import { parseBackendChoice, setBackend, describeBackend } from '../src/runtime/backend';
import { stepCounts } from '../src/runtime/dispatch-counter';
import { measurePeakMemory } from '../src/runtime/memory';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

const backend = parseBackendChoice(option('backend', 'webgpu'));
const scale = option('scale', 'n');
const img = Number(option('img', '128'));
const batchSize = Number(option('batch', '4'));
const models = option('models', Object.keys(YAML_MODELS).join(',')).split(',');
const topN = Number(option('top', '8'));
if (!Number.isInteger(img) || img <= 0 || img % 32 !== 0) throw new Error(`--img must be a positive multiple of 32, got ${img}`);
if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`--batch must be a positive integer, got ${batchSize}`);

const info = await setBackend(backend);
console.log(`${describeBackend(info)}; scale ${scale}, ${batchSize}x${img}²`);
for (const name of models) {
  const s = subject(name, scale, root);
  const model = await s.build(1);
  const ema = await s.build(1);
  const batch = syntheticBatch(batchSize, img, model.nc);
  const trainer = timingTrainer(model, ema, batchSize);
  try {
    await trainer.trainStep(batch); // warm-up: programs compile, state is allocated
    const counts = await stepCounts(() => trainer.trainStep(batch));
    const profile = await measurePeakMemory(() => trainer.trainStep(batch));
    const byName = Object.entries(profile.kernels)
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, topN)
      .map(([k, v]) => `${k} ${v.count}`)
      .join(', ');
    const upload = counts.upload_bytes_per_step === null ? '' : `, upload ${Math.round(counts.upload_bytes_per_step / 1024)} KB`;
    console.log(`${name}: dispatches ${counts.dispatches_per_step}, kernels ${counts.kernels_per_step}${upload}; ${byName}`);
  } finally {
    trainer.dispose();
    model.dispose();
    ema.dispose();
    tf.disposeVariables();
  }
}
