/**
 * A run once assembled (assemble.ts): the model, its EMA twin, the trainer and the batch loaders, behind the
 * TrainingEngine interface that both drivers use. Steps, epoch closes, validations and snapshots happen here once,
 * so the page's worker and `lab train` train, log and checkpoint identically.
 */
import type { BatchLoader } from '../data/batches';
import type { Batch } from '../data/types';
import { metricsToTags, zeroMetricTags } from '../eval';
import type { Detection, ValMetrics } from '../eval/types';
import type { ModelSummary } from '../model/summary';
import { saveSafetensors } from '../model/weights';
import type { AutoAnchorResult } from '../train/anchors/autoanchor';
import type { Hyp } from '../train/hyp';
import type { BatchSource, Trainer } from '../train/trainer';
import { validate } from '../train/validate';
import type { EngineSnapshot, EpochOutcome, StepOutcome, TrainingEngine, TrainPosition, ValidationOutcome } from './engine';
import { PREVIEW_NMS, predictionImages } from './prediction-images';
import type { PredictionImage, ValidationDetails, ValidationValues } from './progress';
import { packResumeState } from './resume-pack';
import type { HypChange } from './hyp';
import type { RunSettings } from './settings';

export interface RunParts {
  /** The settings with the data's class names filled in. */
  settings: RunSettings;
  /** The fully resolved hyp the run trains with (stored in every resume state). */
  hyp: Hyp;
  trainer: Trainer;
  summary: ModelSummary;
  train: BatchLoader;
  val: BatchLoader;
  /** Val images sent to the viewer after each epoch (0 = none). */
  previewImages: number;
  /** What the user should be warned of about the run's assembly (test serving as val, data problems). */
  notices: string[];
  /** AutoAnchor's check at the start of a new run (absent on resume, or when switched off). */
  anchors?: AutoAnchorResult;
  /** A resumed run's changed hyperparameters, `key: [before, after]`. */
  hypChange?: HypChange;
}

function detailsOf(metrics: ValMetrics, classNames: string[]): ValidationDetails {
  return { classNames, perClass: metrics.perClass, prCurves: metrics.prCurves, confusion: metrics.confusion };
}

/** The first batch of a source only: what the prediction viewer shows. */
async function* firstBatch(source: BatchSource): AsyncGenerator<Batch> {
  for await (const batch of source.epoch(0)) {
    yield batch;
    return;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
}

export class Run implements TrainingEngine {
  private batches: AsyncIterator<Batch> | undefined;

  constructor(private readonly parts: RunParts) {}

  get settings(): RunSettings {
    return this.parts.settings;
  }
  get hyp(): Hyp {
    return this.parts.hyp;
  }
  get trainer(): Trainer {
    return this.parts.trainer;
  }
  get notices(): readonly string[] {
    return this.parts.notices;
  }
  get anchors(): AutoAnchorResult | undefined {
    return this.parts.anchors;
  }
  get hypChange(): HypChange | undefined {
    return this.parts.hypChange;
  }
  get trainImages(): number {
    return this.parts.train.size;
  }
  get valImages(): number {
    return this.parts.val.size;
  }
  get epochs(): number {
    return this.parts.settings.epochs;
  }
  get itersPerEpoch(): number {
    return this.parts.train.batchesPerEpoch;
  }

  summary(): ModelSummary {
    return this.parts.summary;
  }

  position(): TrainPosition {
    const { epoch, iteration, globalStep } = this.trainer.progress;
    return { epoch, iteration, globalStep };
  }

  async trainStep(): Promise<StepOutcome> {
    const { epoch, iteration } = this.trainer.progress;
    this.batches ??= this.parts.train.epoch(epoch, iteration)[Symbol.asyncIterator]();
    const next = await this.batches.next();
    if (next.done) throw new Error(`epoch ${epoch} has no batch ${iteration}`);
    const { type: _type, optimizerStep: _optimizerStep, ...step } = await this.trainer.trainStep(next.value);
    return step;
  }

  async endEpoch(): Promise<EpochOutcome> {
    this.batches = undefined;
    const event = await this.trainer.finishEpoch();
    const metrics = event.validation?.metrics;
    return {
      record: event.record,
      best: event.best,
      details: metrics && detailsOf(metrics, this.settings.classNames),
      predictions: await this.predictions(),
    };
  }

  async validate(): Promise<ValidationOutcome> {
    const result = await this.trainer.validate();
    const values: ValidationValues = {
      ...(result ? metricsToTags(result.metrics) : zeroMetricTags()),
      'val/box_loss': result?.losses.box ?? 0,
      'val/obj_loss': result?.losses.obj ?? 0,
      'val/cls_loss': result?.losses.cls ?? 0,
    };
    return {
      values,
      details: result ? detailsOf(result.metrics, this.settings.classNames) : undefined,
      predictions: await this.predictions(),
    };
  }

  /** The EMA model on the first val batch, through the same validate() as the metrics. */
  private async predictions(): Promise<PredictionImage[]> {
    if (this.parts.previewImages === 0) return [];
    let images: PredictionImage[] = [];
    await validate({
      model: this.trainer.emaModel,
      batches: firstBatch(this.parts.val),
      hyp: this.hyp,
      nms: PREVIEW_NMS,
      onDetections: (batch: Batch, detections: Detection[][]) => {
        images = predictionImages(batch, detections, this.parts.previewImages);
      },
    });
    return images;
  }

  /** The EMA weights (as last.safetensors holds them) and the packed resume state. */
  async snapshot(): Promise<EngineSnapshot> {
    const [weights, state] = await Promise.all([saveSafetensors(this.trainer.emaModel), packResumeState(this)]);
    return { weights: toArrayBuffer(weights), state: toArrayBuffer(state) };
  }

  async exportWeights(which: 'ema' | 'raw'): Promise<ArrayBuffer> {
    return toArrayBuffer(await saveSafetensors(which === 'ema' ? this.trainer.emaModel : this.trainer.model));
  }

  dispose(): void {
    this.trainer.dispose();
    this.trainer.model.dispose();
    this.trainer.emaModel.dispose();
  }
}
