/**
 * The steps and epoch ends of ScaledYOLOv4's train.py (yolov4-csp line), returning typed events instead of printing.
 * No `node:` imports and no file access: it runs unchanged in Node and in a browser worker. src/run assembles it and
 * drives it (step-loop.ts), and decides what to store (run-files.ts, the worker's recording.ts).
 *
 * Per batch (global iteration ni = epoch·nb + i): warm-up settings for ni → forward (train mode) → loss → gradients →
 * ONE readback (the three loss items, one `await data()`) → NaN/Inf check (NonFiniteLossError, before any weight
 * changes) → gradients summed → an optimizer step and an EMA update when ni % accumulate == 0.
 * Per epoch: validation on the EMA model, the 13-tag record and fitness (whether it is the best so far).
 *
 * Choices: validation runs every epoch, as the yolov4-large line does (the yolov4-csp line skips epochs < 3 and logs
 * zeros there, which would only flatten the lab's charts). lrs are logged as the optimizer's lrs at the epoch's last
 * iteration, before the scheduler step, as train.py reads them.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types';
import { fitness, metricsToTags, zeroMetricTags } from '../eval';
import type { DetectionModel } from '../model/types';
import { GradientAccumulator } from './accumulate';
import { ModelEma } from './ema';
import { NonFiniteLossError } from './errors';
import type { Hyp } from './hyp';
import { forwardWithLoss } from './loss';
import { GroupedSgd, type NamedTensor } from './optimizer';
import { Schedule, type GroupLrs } from './schedule';
import type { EpochRecord, StepTag } from './tags';
import { validate, type ValidationResult } from './validate';

export interface BatchSource {
  readonly batchesPerEpoch: number;
  /** Deterministic in (seed, epoch); batches before startIteration are skipped. */
  epoch(e: number, startIteration?: number): AsyncIterable<Batch>;
}

export interface TrainerOptions {
  model: DetectionModel;
  /** A twin of `model` (same YAML and scale): it holds the EMA weights used for validation and checkpoints. */
  emaModel: DetectionModel;
  train: BatchSource;
  /** Letterboxed, unaugmented val batches; without it the metrics and val losses are logged as 0. */
  val?: BatchSource;
  hyp: Hyp;
  epochs: number;
  /** The batch size the loader yields (accumulation and weight decay scale with it). */
  batch: number;
  seed: number;
}

export interface StepEvent {
  type: 'step';
  epoch: number;
  iteration: number;
  itersPerEpoch: number;
  globalStep: number;
  /** Running means of the epoch's losses so far and the current lrs. */
  values: Record<StepTag, number>;
  imagesPerSec: number;
  numTensors: number;
  memoryBytes: number;
  /** True when this batch ended with an optimizer step. */
  optimizerStep: boolean;
}

export interface EpochEvent {
  type: 'epoch';
  record: EpochRecord;
  fitness: number;
  best: boolean;
  validation: ValidationResult | null;
}

export type TrainerEvent = StepEvent | EpochEvent;

/** Scalars of the resume state (the tensors travel beside them). */
export interface TrainerProgress {
  /** The epoch in progress (or the next one when iteration is 0). */
  epoch: number;
  /** The next iteration of that epoch. */
  iteration: number;
  /** Batches trained since the start of the run. */
  globalStep: number;
  emaUpdates: number;
  /** Batches whose gradients are summed but not yet applied. */
  accumulated: number;
  /** Sums of the per-image (box, obj, cls) over the epoch so far. */
  epochLossSum: [number, number, number];
  lastLrs: GroupLrs;
  bestFitness: number;
  history: EpochRecord[];
  seed: number;
}

const TERMS = ['box', 'obj', 'cls'] as const;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class Trainer {
  readonly schedule: Schedule;
  readonly accumulate: number;
  /** Group 1's weight decay: hyp.weight_decay·batch·accumulate/nbs, as train.py scales it. */
  readonly weightDecay: number;
  private readonly optimizer: GroupedSgd;
  private readonly grads: GradientAccumulator;
  private readonly ema: ModelEma;
  private readonly variables: tf.Variable[];
  /** When the previous step ended, so images/s includes the data loading between steps (null after an epoch end). */
  private lastStepEnd: number | null = null;
  progress: TrainerProgress;

  constructor(private readonly opts: TrainerOptions) {
    const { model, hyp, epochs, batch, train } = opts;
    this.schedule = new Schedule({ hyp, epochs, batchesPerEpoch: train.batchesPerEpoch, batch });
    this.accumulate = this.schedule.accumulate;
    this.weightDecay = (hyp.weight_decay * batch * this.accumulate) / hyp.nbs;
    const params = model.parameters();
    this.variables = params.map((p) => p.variable);
    this.optimizer = new GroupedSgd(params, this.weightDecay);
    this.grads = new GradientAccumulator(params);
    this.ema = new ModelEma(opts.emaModel, model);
    this.progress = {
      epoch: 0,
      iteration: 0,
      globalStep: 0,
      emaUpdates: 0,
      accumulated: 0,
      epochLossSum: [0, 0, 0],
      lastLrs: [0, 0, 0],
      bestFitness: -Infinity,
      history: [],
      seed: opts.seed,
    };
  }

  get model(): DetectionModel {
    return this.opts.model;
  }

  get emaModel(): DetectionModel {
    return this.opts.emaModel;
  }

  get done(): boolean {
    return this.progress.epoch >= this.opts.epochs;
  }

  /** One batch: forward, loss, gradients, one readback, and an optimizer step when it is due. */
  async trainStep(batch: Batch): Promise<StepEvent> {
    const { model, hyp } = this.opts;
    const p = this.progress;
    const nb = this.opts.train.batchesPerEpoch;
    const ni = p.epoch * nb + p.iteration;
    const settings = this.schedule.at(ni, p.epoch);
    const started = now();

    let items: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const { loss } = forwardWithLoss(model, batch, hyp, 'train');
      items = tf.keep(loss.items);
      return loss.total;
    }, this.variables);
    value.dispose();
    const gradList = this.variables.map((v) => grads[v.name]);
    const lossItems = items as tf.Tensor1D;
    const values = await lossItems.data(); // the step's only GPU→CPU readback
    lossItems.dispose();

    p.globalStep++;
    const bad = TERMS.findIndex((_, i) => !Number.isFinite(values[i]));
    if (bad >= 0) {
      tf.dispose(gradList);
      throw new NonFiniteLossError(p.globalStep, TERMS[bad], values[bad], p.epoch, p.iteration);
    }

    this.grads.add(gradList);
    const optimizerStep = ni % settings.accumulate === 0;
    if (optimizerStep) {
      const summed = this.grads.take();
      this.optimizer.step(summed, settings.lrs, settings.momentum);
      tf.dispose(summed);
      this.ema.update();
    }
    p.accumulated = this.grads.count;
    p.emaUpdates = this.ema.updates;
    values.forEach((v, i) => (p.epochLossSum[i] += v));
    p.lastLrs = settings.lrs;
    const iteration = p.iteration;
    p.iteration++;

    const ended = now();
    const seconds = (ended - (this.lastStepEnd ?? started)) / 1000;
    this.lastStepEnd = ended;
    const memory = tf.memory();
    const count = iteration + 1;
    return {
      type: 'step',
      epoch: p.epoch,
      iteration,
      itersPerEpoch: nb,
      globalStep: p.globalStep,
      values: {
        'train/box_loss': p.epochLossSum[0] / count,
        'train/obj_loss': p.epochLossSum[1] / count,
        'train/cls_loss': p.epochLossSum[2] / count,
        'x/lr0': settings.lrs[0],
        'x/lr1': settings.lrs[1],
        'x/lr2': settings.lrs[2],
      },
      imagesPerSec: seconds > 0 ? batch.shape[0] / seconds : 0,
      numTensors: memory.numTensors,
      memoryBytes: memory.numBytes,
      optimizerStep,
    };
  }

  /** Validates the EMA model on the val batches. */
  async validate(): Promise<ValidationResult | null> {
    if (!this.opts.val) return null;
    return validate({ model: this.opts.emaModel, batches: this.opts.val.epoch(0), hyp: this.opts.hyp });
  }

  /** Closes the epoch in progress: validation, the 13-tag record, fitness; moves on to the next epoch. */
  async finishEpoch(): Promise<EpochEvent> {
    const p = this.progress;
    const count = Math.max(p.iteration, 1);
    this.lastStepEnd = null;
    const validation = await this.validate();
    if (validation) {
      // NaN val losses mean a diverged model: stop before the epoch is recorded (and could be called the best).
      const bad = TERMS.find((term) => !Number.isFinite(validation.losses[term]));
      if (bad) throw new NonFiniteLossError(p.globalStep, bad, validation.losses[bad], p.epoch, p.iteration, 'val');
    }
    const m = validation?.metrics;
    const record: EpochRecord = {
      epoch: p.epoch,
      'train/box_loss': p.epochLossSum[0] / count,
      'train/obj_loss': p.epochLossSum[1] / count,
      'train/cls_loss': p.epochLossSum[2] / count,
      ...(m ? metricsToTags(m) : zeroMetricTags()),
      'val/box_loss': validation?.losses.box ?? 0,
      'val/obj_loss': validation?.losses.obj ?? 0,
      'val/cls_loss': validation?.losses.cls ?? 0,
      'x/lr0': p.lastLrs[0],
      'x/lr1': p.lastLrs[1],
      'x/lr2': p.lastLrs[2],
    };
    const fit = m ? fitness(m) : 0;
    const best = fit > p.bestFitness;
    if (best) p.bestFitness = fit;
    p.history.push(record);
    p.epoch++;
    p.iteration = 0;
    p.epochLossSum = [0, 0, 0];
    return { type: 'epoch', record, fitness: fit, best, validation };
  }

  /** Everything needed to continue exactly: raw weights and buffers, momenta, pending gradients, EMA. */
  stateTensors(): NamedTensor[] {
    const raw = [...this.model.parameters(), ...this.model.buffers()].map((e) => ({ name: `model/${e.name}`, tensor: e.variable }));
    const ema = [...this.emaModel.parameters(), ...this.emaModel.buffers()].map((e) => ({ name: `ema/${e.name}`, tensor: e.variable }));
    const opt = this.optimizer.state().map((e) => ({ name: `optimizer/${e.name}`, tensor: e.tensor }));
    const grads = this.grads.state().map((e) => ({ name: `optimizer/${e.name}`, tensor: e.tensor }));
    return [...raw, ...ema, ...opt, ...grads];
  }

  /** Restores what stateTensors() and `progress` captured. */
  loadState(progress: TrainerProgress, tensors: ReadonlyMap<string, tf.Tensor>): void {
    const take = (prefix: string, name: string): tf.Tensor => {
      const t = tensors.get(`${prefix}/${name}`);
      if (!t) throw new Error(`resume state lacks ${prefix}/${name}`);
      return t;
    };
    for (const [prefix, model] of [['model', this.model], ['ema', this.emaModel]] as const) {
      for (const e of [...model.parameters(), ...model.buffers()]) e.variable.assign(take(prefix, e.name).reshape(e.variable.shape));
    }
    const optimizerState = new Map<string, tf.Tensor>();
    for (const [name, t] of tensors) if (name.startsWith('optimizer/')) optimizerState.set(name.slice('optimizer/'.length), t);
    this.optimizer.loadState(optimizerState);
    this.grads.loadState(optimizerState, progress.accumulated);
    this.ema.updates = progress.emaUpdates;
    this.progress = { ...progress, epochLossSum: [...progress.epochLossSum], history: [...progress.history] };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.grads.clear();
  }
}
