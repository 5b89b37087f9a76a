/**
 * The message protocol between the training worker and the page. One discriminated union per direction, keyed by
 * `type`. Everything here is structured-clone data (no tensors, no class instances); pixel data and weight files
 * travel as ArrayBuffers listed in the transfer list, never as JSON number arrays.
 *
 * The UI imports this file and `client.ts` only: nothing here pulls in tfjs.
 */
import type { FeatureMapSet } from '../model/feature-maps';
import type { ModelSummary } from '../model/summary';
import type { AdapterInfo } from '../runtime/adapter-info';
import type { BackendChoice, BackendName } from '../runtime/backend';
import type { CheckpointReason, PredictionImage, StepInfo, ValidationDetails, ValidationValues } from '../run/progress';
import type { RunSettings, RunStatus } from '../run/settings';
import type { EpochRecord } from '../train/tags';

/** The adapter description of the `ready` event (vendor, architecture, fallback or not, limits). */
export type { AdapterInfo };
/** The `summary` event carries the model zoo's summary (the seed's columns) as is. */
export type { ModelSummary };

/** Backends the page can ask for (runtime/backend.ts's names). `webgpu` is the default; the others are slower fallbacks. */
export type { BackendName };

/** The run's settings, status and progress types live in the core (src/run); re-exported for the page. */
export type { DataSourceSpec, ModelScale, RunSettings, RunStatus } from '../run/settings';
export type { BoxInfo, CheckpointReason, PredictionImage, StepInfo, StepValues, ValidationDetails, ValidationValues } from '../run/progress';

// ---------------------------------------------------------------------------------------------------------------
// Page → worker

export type WorkerCommand =
  /**
   * Build the model and data pipeline. With `resume`, continue the stored run `settings.runId` from its last
   * checkpoint. `pageUrl` is the page's address, against which a relative data URL resolves (the worker's own
   * address is its script's); the client fills it in.
   */
  | {
      type: 'init';
      settings: RunSettings;
      resume?: boolean;
      pageUrl?: string;
      /** With `resume`: a hyp YAML over the run's own hyp, to continue with (say, a smaller lr0 after a divergence). */
      hypYaml?: string;
    }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Run exactly one optimizer step, then pause again (for teaching). */
  | { type: 'step-once' }
  /** Validate the EMA model now; answers with `validation` and `predictions`. */
  | { type: 'validate-now' }
  /** Ask for the current weights as a safetensors file; answers with `weights`. */
  | { type: 'export-weights'; which: 'ema' | 'raw' }
  /**
   * Tests only: destroy the worker's GPU device as a driver reset would. Ignored unless the page was built with
   * VITE_LAB_TEST_HOOKS=1 (the e2e build).
   */
  | { type: 'test-lose-device' };

export type WorkerCommandType = WorkerCommand['type'];

// ---------------------------------------------------------------------------------------------------------------
// Worker → page

export type ErrorCode =
  /** The requested backend cannot start (no navigator.gpu, no adapter, ...); `offers` lists the fallbacks. */
  | 'backend-unavailable'
  /** The GPU device was lost mid-run; the run is paused and can resume from its last checkpoint. */
  | 'device-lost'
  /**
   * The worker died (uncaught error, out of memory; reported by the client) or its WebAssembly trapped (reported by
   * the worker, which the client then drops); the run is paused and can resume from its last checkpoint.
   */
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
      requested: BackendChoice;
      adapter: AdapterInfo | null;
      /** wasm: the XNNPACK threads it runs. */
      wasmThreads?: number;
      /** Why 'auto' chose this backend. */
      note?: string;
    }
  | { type: 'summary'; runId: string; summary: ModelSummary }
  | { type: 'state'; runId: string; status: RunStatus; cause?: string; epoch?: number; globalStep?: number }
  | ({ type: 'step'; runId: string; attempt: number } & StepInfo)
  | { type: 'epoch'; runId: string; attempt: number; record: EpochRecord; time: number; details?: ValidationDetails }
  /** Answer to `validate-now`: the EMA model's metrics and val losses at this point of the epoch. */
  | { type: 'validation'; runId: string; epoch: number; globalStep: number; values: ValidationValues; details?: ValidationDetails }
  | { type: 'predictions'; runId: string; epoch: number; images: PredictionImage[] }
  | { type: 'feature-maps'; runId: string; featureMaps: FeatureMapSet }
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
  if (event.type === 'feature-maps') return event.featureMaps.maps.map((map) => map.values.buffer as ArrayBuffer);
  return [];
}
