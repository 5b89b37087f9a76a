/**
 * A run once assembled (assemble.ts): the model, its EMA twin, the trainer and the batch loaders, behind the
 * TrainingEngine interface that both drivers use. Steps, epoch closes, validations and snapshots happen here once,
 * so the page's worker and `lab train` train, log and checkpoint identically.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchLoader } from '../data/batches';
import type { Batch } from '../data/types';
import { metricsToTags, zeroMetricTags } from '../eval';
import type { Detection, ValMetrics } from '../eval/types';
import { featureMaps, type FeatureMapSet } from '../model/feature-maps';
import { YoloModel } from '../model/model';
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

/** The first batch of a source: what the prediction viewer and the feature maps show. */
async function firstBatch(source: BatchSource): Promise<Batch | undefined> {
  for await (const batch of source.epoch(0)) return batch;
  return undefined;
}

async function* just(batch: Batch): AsyncGenerator<Batch> {
  yield batch;
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
    const preview = await this.previewBatch();
    return {
      record: event.record,
      best: event.best,
      details: metrics && detailsOf(metrics, this.settings.classNames),
      predictions: await this.predictions(preview),
      featureMaps: await this.featureMaps(preview, event.record.epoch),
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
      predictions: await this.predictions(await this.previewBatch()),
    };
  }

  /** The first val batch, when the driver shows previews (the CLI does not). */
  private async previewBatch(): Promise<Batch | undefined> {
    return this.parts.previewImages === 0 ? undefined : firstBatch(this.parts.val);
  }

  /** The EMA model on the preview batch, through the same validate() as the metrics. */
  private async predictions(batch: Batch | undefined): Promise<PredictionImage[]> {
    if (!batch) return [];
    let images: PredictionImage[] = [];
    await validate({
      model: this.trainer.emaModel,
      batches: just(batch),
      hyp: this.hyp,
      nms: PREVIEW_NMS,
      onDetections: (batch: Batch, detections: Detection[][]) => {
        images = predictionImages(batch, detections, this.parts.previewImages);
      },
    });
    return images;
  }

  /** The EMA model's feature maps of the preview batch's first image. */
  private async featureMaps(batch: Batch | undefined, epoch: number): Promise<FeatureMapSet | undefined> {
    const model = this.trainer.emaModel;
    if (!batch || !(model instanceof YoloModel)) return undefined;
    const [, height, width] = batch.shape;
    const image = tf.tensor4d(batch.images.subarray(0, height * width * 3), [1, height, width, 3]);
    try {
      return { epoch, image: batch.items[0].file, maps: await featureMaps(model, image) };
    } finally {
      image.dispose();
    }
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
