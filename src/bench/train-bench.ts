/**
 * One benchmark row: a model at one scale on one backend, timed through the real training core (Trainer.trainStep:
 * forward, loss, backward, the step's one readback, SGD and EMA updates) and a plain eval forward.
 */
import * as tf from '@tensorflow/tfjs';
import type { DetectionModel } from '../model/types';
import { setGroupedConvStrategy } from '../model/modules/leaves';
import { setBackend, type BackendChoice, describeBackend } from '../runtime/backend';
import { measurePeakMemory, type KernelStats } from '../runtime/memory';
import { stepCounts } from '../runtime/dispatch-counter';
import { countReadbacks } from '../runtime/readbacks';
import { DEFAULT_HYP } from '../train/hyp';
import { Trainer } from '../train/trainer';
import { medianMs } from './measure';
import { syntheticBatch } from './synthetic-batch';
import type { Subject } from './subjects';

export interface BenchRow {
  model: string;
  scale: string;
  backend: string;
  img: number;
  batch: number;
  forward_ms: number;
  train_step_ms: number;
  images_per_s: number;
  peak_tensors: number;
  peak_bytes: number;
  readbacks_per_step: number;
  /** webgpu: dispatchWorkgroups calls in one train step; wasm/cpu: kernel calls (src/runtime/dispatch-counter.ts). */
  dispatches_per_step: number;
  /** tfjs kernels in one train step. */
  kernels_per_step: number;
  /** webgpu: host → GPU bytes in one train step; null elsewhere. */
  upload_bytes_per_step: number | null;
  pytorch_train_step_ms: number | null;
  /** Extras beyond the columns. */
  params: number;
  /** Sum of kernel times in one profiled step (wasm/cpu: wall time per kernel; webgpu: GPU timer when available). */
  kernel_ms: number | null;
  /** The costliest kernels of that step (20 in the JSON; the console shows 6). */
  top_kernels: { name: string; count: number; ms: number }[];
  backend_detail: string;
  error?: string;
}

export interface RowSettings {
  backend: BackendChoice;
  img: number;
  batch: number;
  steps: number;
  warmup: number;
  /** chromium:wasm only: threads (default: every logical core). */
  wasmThreads?: number;
  /** The models' conv strategy (src/model/modules/leaves.ts setGroupedConvStrategy); default 'kernel'. */
  convs?: 'kernel' | 'split';
  /** chromium:wasm only: our kernels split across kernel threads (default true). */
  kernelThreads?: boolean;
}

/** Trainer for timing: accumulate = 1 (nbs = batch), so every step updates the weights. */
export function timingTrainer(model: DetectionModel, emaModel: DetectionModel, batch: number): Trainer {
  return new Trainer({
    model,
    emaModel,
    train: { batchesPerEpoch: 1_000_000, epoch: () => ({ [Symbol.asyncIterator]: async function* () {} }) },
    hyp: { ...DEFAULT_HYP, nbs: batch },
    epochs: 1,
    batch,
    seed: 0,
  });
}

function topKernels(kernels: Record<string, KernelStats>, n: number) {
  return Object.entries(kernels)
    .map(([name, s]) => ({ name, count: s.count, ms: Math.round(s.ms * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}

export async function benchRow(subject: Subject, settings: RowSettings): Promise<BenchRow> {
  const backendInfo = await setBackend(settings.backend, { wasmThreads: settings.wasmThreads, kernelThreads: settings.kernelThreads });
  setGroupedConvStrategy(settings.convs ?? 'kernel');
  const model = await subject.build(1);
  const emaModel = await subject.build(1);
  const nc = model.nc;
  const batch = syntheticBatch(settings.batch, settings.img, nc);
  const images = tf.tensor4d(batch.images, batch.shape);
  const trainer = timingTrainer(model, emaModel, settings.batch);
  try {
    const forward_ms = await medianMs(
      async () => {
        const outputs = model.forward(images, 'eval');
        await Promise.all(outputs.map((o) => o.data()));
        tf.dispose(outputs);
      },
      settings.warmup,
      settings.steps,
    );
    const train_step_ms = await medianMs(() => trainer.trainStep(batch), settings.warmup, settings.steps);

    const counter = countReadbacks();
    await trainer.trainStep(batch);
    counter.stop();
    const counts = await stepCounts(() => trainer.trainStep(batch));

    const peak = await measurePeakMemory(() => trainer.trainStep(batch));
    const kernelMs = Object.values(peak.kernels).reduce((sum, k) => sum + k.ms, 0);
    return {
      model: subject.model,
      scale: subject.scale,
      backend: backendInfo.name,
      img: settings.img,
      batch: settings.batch,
      forward_ms: round(forward_ms),
      train_step_ms: round(train_step_ms),
      images_per_s: round((settings.batch * 1000) / train_step_ms, 2),
      peak_tensors: peak.peakTensors,
      peak_bytes: peak.peakBytes,
      readbacks_per_step: counter.count,
      ...counts,
      pytorch_train_step_ms: null,
      params: model.parameters().reduce((sum, p) => sum + p.variable.size, 0),
      kernel_ms: Number.isFinite(kernelMs) ? round(kernelMs) : null,
      top_kernels: topKernels(peak.kernels, 20),
      backend_detail: describeBackend(backendInfo),
    };
  } finally {
    trainer.dispose();
    images.dispose();
    model.dispose();
    emaModel.dispose();
  }
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
