/**
 * The shapes persisted per run. Plain structured-clone data, shared by the store, the worker and the UI.
 */
import type { EpochRecord } from '../train/tags';
import type { AdapterInfo } from '../runtime/adapter-info';
import type { BackendName } from '../runtime/backend';
import type { FeatureMapSet } from '../model/feature-maps';
import type { CheckpointReason, PredictionImage, StepInfo, ValidationDetails } from '../run/progress';
import type { RunSettings, RunStatus } from '../run/settings';

export interface CheckpointMeta {
  epoch: number;
  globalStep: number;
  reason: CheckpointReason;
  savedAt: number;
  bytes: number;
}

export interface RunRecord {
  runId: string;
  settings: RunSettings;
  status: RunStatus;
  /** Why the run paused, stopped or failed (device lost, worker crash, NaN loss, ...). */
  cause?: string;
  createdAt: number;
  updatedAt: number;
  /**
   * Incremented each time the run resumes from a checkpoint. Step and epoch rows carry it, so points logged after the
   * last checkpoint of an earlier attempt are kept rather than overwritten by the recomputed ones.
   */
  attempt: number;
  backend?: BackendName;
  adapter?: AdapterInfo | null;
  /** Epochs completed and optimizer steps taken, as last logged. */
  epochsDone: number;
  globalStep: number;
  bestMap50: number;
  /** Milliseconds spent training (sums across attempts). */
  trainMs: number;
  lastCheckpoint?: CheckpointMeta;
  totalParams?: number;
}

export interface StepRow extends StepInfo {
  runId: string;
  attempt: number;
}

export interface EpochRow {
  runId: string;
  attempt: number;
  record: EpochRecord;
  time: number;
  details?: ValidationDetails;
}

/**
 * A checkpoint. `weights` is the EMA model as safetensors under PyTorch state_dict names (what exports hand out);
 * `state` is the training core's opaque resume state (raw weights, optimizer, EMA, position, RNG, data order).
 */
export interface CheckpointRow extends CheckpointMeta {
  runId: string;
  weights: ArrayBuffer;
  state: ArrayBuffer;
}

export interface RunHistory {
  steps: StepRow[];
  epochs: EpochRow[];
}

/** What the Predictions tab shows of a run after a reload: its newest val predictions and feature maps. */
export interface RunViews {
  runId: string;
  predictions?: { epoch: number; images: PredictionImage[] };
  featureMaps?: FeatureMapSet;
}
