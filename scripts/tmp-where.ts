import * as tf from '@tensorflow/tfjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subject } from '../src/bench/subjects';
import { syntheticBatch } from '../src/bench/synthetic-batch';
import { timingTrainer } from '../src/bench/train-bench';
import { setBackend } from '../src/runtime/backend';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await setBackend((process.argv[2] ?? 'webgpu') as 'webgpu');
const want = (process.argv[3] ?? 'Identity').split(',');
const s = subject(process.argv[4] ?? 'resnet50', 'n', root);
const model = await s.build(1), ema = await s.build(1);
const batch = syntheticBatch(4, 128, model.nc);
const trainer = timingTrainer(model, ema, 4);
await trainer.trainStep(batch);
const engine = tf.engine() as any;
const orig = engine.runKernelFunc;
const sites = new Map<string, number>();
const progs = new Map<string, number>();
const be = engine.backend;
const origRun = be.runWebGPUProgram;
if (origRun) be.runWebGPUProgram = function (p: any, ...a: any[]) { const k = p.constructor.name + (p.op ? ':' + p.op : ''); progs.set(k, (progs.get(k) ?? 0) + 1); return origRun.call(this, p, ...a); };
engine.runKernelFunc = function (kp: any) {
  if (want.includes(kp.kernelName)) {
    const st = (new Error().stack ?? '').split('\n').slice(2).filter((l) => !l.includes('engine.ts') && !l.includes('engine.js') && !l.includes('operation.')).slice(0, 3).map((l) => l.trim().replace(/\(.*node_modules\//, '(').replace(/\(\/work\/i13\//, '('));
    const key = kp.kernelName + ' <- ' + st.join(' | ');
    sites.set(key, (sites.get(key) ?? 0) + 1);
  }
  return orig.call(this, kp);
};
await trainer.trainStep(batch);
engine.runKernelFunc = orig;
for (const [k, v] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(v, k);
console.log([...progs].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${k} ${v}`).join('\n'));
