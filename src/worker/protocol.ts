/**
 * The message protocol between the training worker and the page. One discriminated union per direction, keyed by
 * `type`. Everything here is structured-clone data (no tensors, no class instances); pixel data and weight files
 * travel as ArrayBuffers listed in the transfer list, never as JSON number arrays.
 *
 * The UI imports this file and `client.ts` only: nothing here pulls in tfjs.
 */
import type { ClassMetrics, PrCurve } from '../eval/types';
import type { ModelSummary } from '../model/summary';
import type { AdapterInfo } from '../runtime/adapter-info';
import type { BackendName } from '../runtime/backend';
import type { EpochRecord, StepTag } from '../train/tags';

/** The adapter description of the `ready` event (vendor, architecture, fallback or not, limits). */
export type { AdapterInfo };
/** The `summary` event carries the model zoo's summary (the seed's columns) as is. */
export type { ModelSummary };

/** Backends the page can ask for (runtime/backend.ts's names). `webgpu` is the default; the others are slower fallbacks. */
export type { BackendName };

/** Model scales, as the model zoo names them (depth/width multiples are applied by the model builder). */
export type ModelScale = 'n' | 's' | 'm' | 'l';

/**
 * Where the training images come from.
 * - `url`: a YOLO-format folder served over HTTP, read with fetch. Prefer a URL relative to the page (the bundled set:
 *   `/data/vehicles/`): it is stored with the run, and a relative one still works when the lab moves to another origin.
 * - `files`: a user's import (folder picker or drag and drop). Files are Blobs, so they are cloned by reference.
 */
export type DataSourceSpec =
  | { kind: 'url'; baseUrl: string }
  | { kind: 'files'; files: { path: string; file: Blob }[]; format?: 'yolo' | 'coco'; classes?: string[] };

/** Everything that defines a run. Persisted as the run's settings and sent to the worker in `init`. */
export interface RunSettings {
  runId: string;
  /** Human name shown in the run list (defaults to backbone + time). */
  name: string;
  /** The model YAML text (one of public/models/*.yaml, or the user's edit). */
  modelYaml: string;
  /** File name of the YAML, for exports (e.g. `yolov4-resnet50.yaml`). */
  modelName: string;
  scale: ModelScale;
  nc: number;
  classNames: string[];
  data: DataSourceSpec;
  /** hyp YAML text with ScaledYOLOv4 keys; empty means the lab's defaults (hyp.scratch of the yolov4-csp line). */
  hypYaml: string;
  /** Form values that override keys of `hypYaml` (e.g. lr0 from the lr input). */
  hypOverrides: Record<string, number>;
  img: number;
  batch: number;
  epochs: number;
  seed: number;
  backend: BackendName;
}

// ---------------------------------------------------------------------------------------------------------------
// Page → worker

export type WorkerCommand =
  /**
   * Build the model and data pipeline. With `resume`, continue the stored run `settings.runId` from its last
   * checkpoint. `pageUrl` is the page's address, against which a relative data URL resolves (the worker's own
   * address is its script's); the client fills it in.
   */
  | { type: 'init'; settings: RunSettings; resume?: boolean; pageUrl?: string }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Run exactly one optimizer step, then pause again (for teaching). */
  | { type: 'step-once' }
  /** Validate the EMA model now; answers with `validation` and `predictions`. */
  | { type: 'validate-now' }
  /** Ask for the current weights as a safetensors file; answers with `weights`. */
  | { type: 'export-weights'; which: 'ema' | 'raw' };

export type WorkerCommandType = WorkerCommand['type'];

// ---------------------------------------------------------------------------------------------------------------
// Worker → page

/** Run lifecycle, as the page shows it. */
export type RunStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

/** The tags a validation pass yields (metrics and val losses). */
export type ValidationValues = Pick<
  EpochRecord,
  | 'metrics/precision'
  | 'metrics/recall'
  | 'metrics/mAP_0.5'
  | 'metrics/mAP_0.5:0.95'
  | 'val/box_loss'
  | 'val/obj_loss'
  | 'val/cls_loss'
>;

/** Step losses and lrs: the running means over the epoch so far, and the current lr of each optimizer group. */
export type StepValues = Record<StepTag, number>;

export interface StepInfo {
  epoch: number;
  /** Iteration within the epoch, 0-based. */
  iteration: number;
  itersPerEpoch: number;
  /** Batches trained since the start of the run, 1-based (the optimizer steps every `accumulate` batches). */
  globalStep: number;
  values: StepValues;
  imagesPerSec: number;
  /** Bytes held by the backend (tf.memory().numBytes; GPU memory on webgpu). */
  memoryBytes: number;
  numTensors: number;
  /** Wall-clock time (ms since 1970) when the step finished. */
  time: number;
}

/**
 * What the viewer draws beside the epoch's numbers, as the eval core computes it: per-class P/R/AP, the PR curve of
 * each class at IoU 0.5, and YOLOv5's confusion matrix (matrix[predicted][true], index nc = background).
 */
export interface ValidationDetails {
  classNames: string[];
  perClass: ClassMetrics[];
  prCurves: PrCurve[];
  confusion: number[][];
}

export interface BoxInfo {
  /** Corners in the image's own pixels. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  cls: number;
  /** Absent for ground truth. */
  score?: number;
}

export interface PredictionImage {
  name: string;
  width: number;
  height: number;
  /** `rgba8`: width*height*4 bytes; otherwise the encoded file (png/jpeg) as read from the dataset. Transferred. */
  encoding: 'rgba8' | 'image/png' | 'image/jpeg';
  bytes: ArrayBuffer;
  predictions: BoxInfo[];
  truth: BoxInfo[];
}

export type CheckpointReason = 'epoch' | 'pause' | 'stop' | 'done';

export type ErrorCode =
  /** The requested backend cannot start (no navigator.gpu, no adapter, ...); `offers` lists the fallbacks. */
  | 'backend-unavailable'
  /** The GPU device was lost mid-run; the run is paused and can resume from its last checkpoint. */
  | 'device-lost'
  /** The worker died (uncaught error, out of memory); reported by the client, the run is paused. */
  | 'worker-crash'
  /** A loss term became NaN or Inf; the run is stopped. Context names the step and the term. */
  | 'non-finite-loss'
  /** IndexedDB refused a write. History is kept in memory and retried; old checkpoints can be deleted. */
  | 'quota-exceeded'
  /** Bad settings (YAML error, data that cannot be read). */
  | 'invalid-settings'
  | 'internal';

/** What the UI can offer the user after an error. */
export type RecoveryOffer =
  | { kind: 'switch-backend'; backend: BackendName; warning: string }
  | { kind: 'resume-from-checkpoint'; runId: string }
  | { kind: 'delete-old-checkpoints'; runId: string };

export interface ErrorContext {
  phase?: 'init' | 'train' | 'validate' | 'checkpoint' | 'persist' | 'export';
  epoch?: number;
  iteration?: number;
  globalStep?: number;
  /** For non-finite losses: `box`, `obj`, `cls` or `total`. */
  lossTerm?: string;
  value?: number;
  stack?: string;
  /** Free-form details (e.g. the backend init error). */
  detail?: string;
}

export type WorkerEvent =
  | {
      type: 'ready';
      runId: string;
      backend: BackendName;
      requested: BackendName;
      adapter: AdapterInfo | null;
      /** wasm: the XNNPACK threads it runs. */
      wasmThreads?: number;
    }
  | { type: 'summary'; runId: string; summary: ModelSummary }
  | { type: 'state'; runId: string; status: RunStatus; cause?: string; epoch?: number; globalStep?: number }
  | ({ type: 'step'; runId: string; attempt: number } & StepInfo)
  | { type: 'epoch'; runId: string; attempt: number; record: EpochRecord; time: number; details?: ValidationDetails }
  /** Answer to `validate-now`: the EMA model's metrics and val losses at this point of the epoch. */
  | { type: 'validation'; runId: string; epoch: number; globalStep: number; values: ValidationValues; details?: ValidationDetails }
  | { type: 'predictions'; runId: string; epoch: number; images: PredictionImage[] }
  | {
      type: 'checkpoint';
      runId: string;
      epoch: number;
      globalStep: number;
      reason: CheckpointReason;
      bytes: number;
      /** False when the write failed (quota): the run goes on, and an `error` with code quota-exceeded follows. */
      saved: boolean;
    }
  | { type: 'weights'; runId: string; which: 'ema' | 'raw'; fileName: string; bytes: ArrayBuffer }
  | { type: 'log'; runId: string; level: 'info' | 'debug'; message: string }
  | { type: 'warning'; runId: string; message: string; offers?: RecoveryOffer[] }
  | {
      type: 'error';
      runId: string;
      code: ErrorCode;
      message: string;
      context: ErrorContext;
      offers?: RecoveryOffer[];
    }
  /** All epochs trained; `best` is the run's best mAP@0.5. */
  | { type: 'done'; runId: string; epochs: number; best: number };

export type WorkerEventType = WorkerEvent['type'];
export type WorkerEventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;

/** Sends an event with the buffers to transfer (moved, not copied). */
export type PostEvent = (event: WorkerEvent, transfer?: Transferable[]) => void;

/** The buffers inside an event that must move rather than be copied. */
export function transferablesOf(event: WorkerEvent): Transferable[] {
  if (event.type === 'predictions') return event.images.map((image) => image.bytes);
  if (event.type === 'weights') return [event.bytes];
  return [];
}
