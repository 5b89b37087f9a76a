/**
 * What a training session needs from the training core, in the session's own terms: one step, one epoch's close, a
 * validation, snapshots and restores, all as plain data. `core-engine.ts` implements it over src/model, src/data,
 * src/train and src/eval; the session sees only this interface.
 */
import type { EpochRecord } from '../train/tags';
import type { ModelSummary, PredictionImage, StepInfo, ValidationDetails, ValidationValues } from './protocol';

export interface TrainPosition {
  /** The epoch the next step belongs to (0-based). */
  epoch: number;
  /** Iteration of the next step within its epoch (0-based). */
  iteration: number;
  /** Optimizer steps taken so far. */
  globalStep: number;
}

/** A finished step, as the `step` event reports it (the session adds the wall-clock time). */
export type StepOutcome = Omit<StepInfo, 'time'>;

export interface EpochOutcome {
  record: EpochRecord;
  details?: ValidationDetails;
  predictions: PredictionImage[];
}

export interface ValidationOutcome {
  values: ValidationValues;
  details?: ValidationDetails;
  predictions: PredictionImage[];
}

/** Weights for export (EMA, safetensors with PyTorch names) and the full resume state, both as bytes. */
export interface EngineSnapshot {
  weights: ArrayBuffer;
  state: ArrayBuffer;
}

export interface TrainingEngine {
  readonly epochs: number;
  readonly itersPerEpoch: number;
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
  restore(state: ArrayBuffer): Promise<void>;
  exportWeights(which: 'ema' | 'raw'): Promise<ArrayBuffer>;
  dispose(): void;
}
