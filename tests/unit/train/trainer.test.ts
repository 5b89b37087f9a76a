import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SCRATCH_HYP, type Hyp } from '../../../src/train/hyp';
import { EPOCH_TAGS } from '../../../src/train/tags';
import { NonFiniteLossError } from '../../../src/train/errors';
import { packResumeState, stateTensors, unpackResumeState } from '../../../src/run/resume-pack';
import { tinySettings } from '../worker/tiny-run';
import { drive } from './drive';
import { Trainer, type StepEvent, type TrainerEvent } from '../../../src/train/trainer';
import { FixedBatches, makeBatch } from './fixed-batches';
import { TinyDetectionModel } from './tiny-model';

const IMG = 32;

function trainer(opts: { batch: number; batches: number; epochs: number; hyp?: Partial<Hyp>; seed?: number; val?: boolean }) {
  const seed = opts.seed ?? 1;
  const model = new TinyDetectionModel({ nc: 2, seed });
  const emaModel = new TinyDetectionModel({ nc: 2, seed: seed + 1000 });
  const train = new FixedBatches(Array.from({ length: opts.batches }, (_, i) => makeBatch(opts.batch, IMG, 10 + i)));
  const val = opts.val ? new FixedBatches([makeBatch(4, IMG, 99)]) : undefined;
  const t = new Trainer({ model, emaModel, train, val, hyp: { ...SCRATCH_HYP, ...opts.hyp }, epochs: opts.epochs, batch: opts.batch, seed });
  const dispose = () => {
    t.dispose();
    model.dispose();
    emaModel.dispose();
  };
  return { t, model, emaModel, train, dispose };
}

async function steps(t: Trainer, train: FixedBatches, n: number): Promise<StepEvent[]> {
  const events: StepEvent[] = [];
  await drive(
    t,
    train,
    (e) => {
      if (e.type === 'step') events.push(e);
    },
    () => events.length >= n,
  );
  return events;
}

describe('Trainer', () => {
  it('keeps tf.memory().numTensors flat over 50 training steps', async () => {
    const { t, train, dispose } = trainer({ batch: 2, batches: 5, epochs: 10, hyp: { warmup_min_iters: 10 }, val: true });
    const counts: number[] = [];
    const events: TrainerEvent[] = [];
    await drive(
      t,
      train,
      (e) => {
        events.push(e);
        if (e.type === 'step') counts.push(tf.memory().numTensors);
      },
      () => counts.length >= 50,
    );
    expect(counts).toHaveLength(50);
    expect(counts[49]).toBe(counts[5]);
    expect(Math.max(...counts.slice(5))).toBe(counts[5]);
    // 10 epochs of 5 batches: every fifth step closes an epoch with a 14-key record.
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(9);
    for (const e of epochs) expect(Object.keys(e.record).sort()).toEqual(['epoch', ...EPOCH_TAGS].sort());
    dispose();
  });

  it('resumes exactly: k steps, save, restore into fresh models, continue = an uninterrupted run', async () => {
    // batch 16 → accumulate 4; stopping after epoch 1's first batch leaves summed gradients pending.
    const settings = { batch: 16, batches: 3, epochs: 3, hyp: { warmup_min_iters: 2, warmup_epochs: 0 }, val: true };
    const full = trainer(settings);
    const fullEvents: TrainerEvent[] = [];
    await drive(full.t, full.train, (e) => void fullEvents.push(e));

    const first = trainer(settings);
    await steps(first.t, first.train, 4);
    expect(first.t.progress.accumulated).toBeGreaterThan(0);
    // Through the packed resume state, as the page and --resume read it.
    const hyp = { ...SCRATCH_HYP, ...settings.hyp };
    const packed = await packResumeState({ settings: tinySettings('resume-test'), hyp, trainer: first.t });
    first.dispose();

    const second = trainer({ ...settings, seed: 77 }); // different initial weights: everything must come from the state
    const state = unpackResumeState(packed);
    expect(state.runId).toBe('resume-test');
    expect(state.hyp).toEqual(hyp);
    const tensors = stateTensors(state);
    second.t.loadState(state.progress, tensors);
    tf.dispose([...tensors.values()]);
    const resumedEvents: TrainerEvent[] = [];
    await drive(second.t, second.train, (e) => void resumedEvents.push(e));

    expect(second.t.progress.history).toHaveLength(3);
    second.t.progress.history.forEach((record, i) => {
      for (const key of Object.keys(record) as (keyof typeof record)[]) expect(record[key]).toBeCloseTo(full.t.progress.history[i][key], 5);
    });
    const weights = (m: TinyDetectionModel) => m.parameters().flatMap((p) => Array.from(p.variable.dataSync()));
    const a = weights(full.model);
    const b = weights(second.model);
    expect(b.length).toBe(a.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
    const ea = weights(full.emaModel);
    const eb = weights(second.emaModel);
    expect(Math.max(...ea.map((v, i) => Math.abs(v - eb[i])))).toBeLessThan(1e-6);
    expect(resumedEvents.filter((e) => e.type === 'step')).toHaveLength(5);
    full.dispose();
    second.dispose();
  });

  it('stops on a non-finite loss with the step and term, before the weights change', async () => {
    const { t, model, dispose } = trainer({ batch: 2, batches: 3, epochs: 1 });
    const bad = makeBatch(2, IMG, 3);
    bad.images[0] = Number.NaN; // spreads through the batch statistics of BN: every term is NaN, box is named first
    await t.trainStep(makeBatch(2, IMG, 1));
    const before = model.parameters().map((p) => Array.from(p.variable.dataSync()));
    const tensors = tf.memory().numTensors;
    const err = await t.trainStep(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(2);
    expect((err as NonFiniteLossError).term).toBe('box');
    expect(model.parameters().map((p) => Array.from(p.variable.dataSync()))).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    dispose();
  });
});
