/**
 * What a driver (the worker's session, `lab train`) needs from a run, in plain data: one step, one epoch's close, a
 * validation, snapshots and restores. `Run` (run.ts) implements it over src/model, src/data, src/train and src/eval;
 * the session's tests may stand in their own.
 */
import type { FeatureMapSet } from '../model/feature-maps';
import type { ModelSummary } from '../model/summary';
import type { AutoAnchorResult } from '../train/anchors/autoanchor';
import type { RunSettings } from './settings';
import type { EpochRecord } from '../train/tags';
import type { PredictionImage, StepInfo, ValidationDetails, ValidationValues } from './progress';

export interface TrainPosition {
  /** The epoch the next step belongs to (0-based). */
  epoch: number;
  /** Iteration of the next step within its epoch (0-based). */
  iteration: number;
  /** Optimizer steps taken so far. */
  globalStep: number;
}

/** A finished step, as the `step` event reports it (the driver adds the wall-clock time). */
export type StepOutcome = Omit<StepInfo, 'time'>;

export interface EpochOutcome {
  record: EpochRecord;
  /** True when this epoch's fitness (0.1·mAP@0.5 + 0.9·mAP@0.5:0.95) is the run's best so far. */
  best: boolean;
  details?: ValidationDetails;
  predictions: PredictionImage[];
  /** The EMA model's feature maps of the first preview image (absent when the driver shows no previews). */
  featureMaps?: FeatureMapSet;
}

export interface ValidationOutcome {
  values: ValidationValues;
  details?: ValidationDetails;
  predictions: PredictionImage[];
}

/** Weights for export (EMA, safetensors with PyTorch names) and the packed resume state (resume-pack.ts), as bytes. */
export interface EngineSnapshot {
  weights: ArrayBuffer;
  state: ArrayBuffer;
}

export interface TrainingEngine {
  readonly epochs: number;
  readonly itersPerEpoch: number;
  /** The settings as the run resolved them: the data's classes, the anchors it trains with, its hyp in full. */
  readonly settings: RunSettings;
  /** What the user should be warned of about how the run was put together (test serving as val, data problems). */
  readonly notices: readonly string[];
  /** AutoAnchor's check at the start of a new run. */
  readonly anchors?: AutoAnchorResult;
  summary(): ModelSummary;
  position(): TrainPosition;
  /**
   * One batch (forward, loss, backward; an optimizer and EMA step when accumulation is due), with exactly one
   * GPU→CPU readback. Throws the training core's NonFiniteLossError on NaN/Inf, before any weight changes.
   */
  trainStep(): Promise<StepOutcome>;
  /** Closes the epoch that just ended: validation on the EMA model, lr schedule step. Returns the 13-tag record. */
  endEpoch(): Promise<EpochOutcome>;
  /** Validates the EMA model now, without moving the schedule or the epoch. */
  validate(): Promise<ValidationOutcome>;
  snapshot(): Promise<EngineSnapshot>;
  exportWeights(which: 'ema' | 'raw'): Promise<ArrayBuffer>;
  dispose(): void;
}
