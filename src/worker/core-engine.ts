/**
 * The TrainingEngine over the lab's core: the YAML model (src/model), the data pipeline (src/data), the Trainer
 * (src/train) and the metrics (src/eval). The session drives it one step at a time.
 *
 * Resume state = the training core's two resume files (resume.json + resume.safetensors), zipped without
 * compression into one buffer; weights = the EMA model as safetensors under PyTorch names, as last.safetensors is.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { loadDataset } from '../data/load-dataset';
import { createImageProvider } from '../data/image-provider';
import { createBatchLoader, type BatchLoader } from '../data/batches';
import type { Batch, Dataset, FileSource, ImageDecoder } from '../data/types';
import { metricsToTags, zeroMetricTags } from '../eval';
import type { Detection, ValMetrics } from '../eval/types';
import { buildModel } from '../model/model';
import { summarizeModelYaml, type ModelSummary } from '../model/summary';
import { saveSafetensors } from '../model/weights';
import { augmentHypOf, type Hyp } from '../train/hyp';
import {
  RESUME_JSON,
  RESUME_TENSORS,
  decodeResumeJson,
  decodeResumeTensors,
  encodeResumeJson,
  encodeResumeTensors,
} from '../train/resume-state';
import { Trainer, type BatchSource } from '../train/trainer';
import { validate } from '../train/validate';
import type { EngineSnapshot, EpochOutcome, StepOutcome, TrainingEngine, TrainPosition, ValidationOutcome } from './engine';
import { predictionImages } from './prediction-images';
import { resolveHyp } from '../run/hyp';
import type { DataSourceSpec, PredictionImage, RunSettings, ValidationDetails, ValidationValues } from './protocol';

export interface CoreEngineEnvironment {
  /** Where the run's files come from (fetch and Blobs in the worker, the file system in Node). */
  sourceFor(spec: DataSourceSpec): FileSource;
  decoder: ImageDecoder;
  /** Val images sent to the viewer after each epoch (0 = none). */
  predictionImages?: number;
}

/** `train`/`val`, or COCO's `train2017`/`val2017`: the split whose name starts with the role. */
function splitNamed(dataset: Dataset, role: 'train' | 'val'): string | undefined {
  const names = Object.keys(dataset.splits);
  return names.find((name) => name === role) ?? names.find((name) => name.startsWith(role));
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

class CoreEngine implements TrainingEngine {
  private batches: AsyncIterator<Batch> | undefined;

  constructor(
    private readonly trainer: Trainer,
    private readonly settings: RunSettings,
    private readonly hyp: Hyp,
    private readonly modelSummary: ModelSummary,
    private readonly trainSource: BatchLoader,
    private readonly valSource: BatchLoader | undefined,
    private readonly previewCount: number,
  ) {}

  get epochs(): number {
    return this.settings.epochs;
  }
  get itersPerEpoch(): number {
    return this.trainSource.batchesPerEpoch;
  }

  summary(): ModelSummary {
    return this.modelSummary;
  }

  position(): TrainPosition {
    const { epoch, iteration, globalStep } = this.trainer.progress;
    return { epoch, iteration, globalStep };
  }

  async trainStep(): Promise<StepOutcome> {
    const { epoch, iteration } = this.trainer.progress;
    this.batches ??= this.trainSource.epoch(epoch, iteration)[Symbol.asyncIterator]();
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
    if (!this.valSource || this.previewCount === 0) return [];
    let images: PredictionImage[] = [];
    await validate({
      model: this.trainer.emaModel,
      batches: firstBatch(this.valSource),
      hyp: this.hyp,
      onDetections: (batch: Batch, detections: Detection[][]) => {
        images = predictionImages(batch, detections, this.previewCount);
      },
    });
    return images;
  }

  async snapshot(): Promise<EngineSnapshot> {
    const [weights, tensors] = await Promise.all([saveSafetensors(this.trainer.emaModel), encodeResumeTensors(this.trainer)]);
    const state = zipSync(
      { [RESUME_JSON]: strToU8(encodeResumeJson(this.settings.runId, this.trainer)), [RESUME_TENSORS]: tensors },
      { level: 0 },
    );
    return { weights: toArrayBuffer(weights), state: toArrayBuffer(state) };
  }

  async restore(state: ArrayBuffer): Promise<void> {
    const files = unzipSync(new Uint8Array(state));
    const json = files[RESUME_JSON];
    const tensorBytes = files[RESUME_TENSORS];
    if (!json || !tensorBytes) throw new Error('the checkpoint lacks its resume state');
    const { progress } = decodeResumeJson<string>(strFromU8(json));
    const tensors = decodeResumeTensors(tensorBytes);
    try {
      this.trainer.loadState(progress, tensors);
    } finally {
      tf.dispose([...tensors.values()]);
    }
    this.batches = undefined;
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

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
}

/** Builds everything a run needs; the backend must already be selected. */
export async function createCoreEngine(settings: RunSettings, env: CoreEngineEnvironment): Promise<TrainingEngine> {
  const hyp = resolveHyp(settings);
  const buildOptions = { nc: settings.nc, scale: settings.scale, seed: settings.seed };
  const summary = summarizeModelYaml(settings.modelYaml, buildOptions);

  const source = env.sourceFor(settings.data);
  const format = settings.data.kind === 'files' ? settings.data.format : 'yolo';
  const classes = settings.data.kind === 'files' ? settings.data.classes : undefined;
  const dataset = await loadDataset(source, { format, classes });
  const trainSplit = splitNamed(dataset, 'train');
  if (!trainSplit) throw new Error(`the data has no train split (splits: ${Object.keys(dataset.splits).join(', ') || 'none'})`);
  const valSplit = splitNamed(dataset, 'val');
  const images = createImageProvider(source, env.decoder);
  const common = { dataset, images, img: settings.img, batch: settings.batch, seed: settings.seed };
  const train = createBatchLoader({ ...common, split: trainSplit, augment: true, hyp: augmentHypOf(hyp), shuffle: true });
  const val = valSplit ? createBatchLoader({ ...common, split: valSplit, augment: false, shuffle: false }) : undefined;

  // Same YAML, scale and seed: the EMA twin starts identical (ModelEma copies the weights anyway).
  const model = buildModel(settings.modelYaml, buildOptions);
  const emaModel = buildModel(settings.modelYaml, buildOptions);
  const trainer = new Trainer({ model, emaModel, train, val, hyp, epochs: settings.epochs, batch: settings.batch, seed: settings.seed });
  return new CoreEngine(trainer, settings, hyp, summary, train, val, env.predictionImages ?? 8);
}
