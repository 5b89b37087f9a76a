/**
 * What the page uses from persistence (no tfjs here): the run store, run files, results.csv and the PyTorch bundle.
 */
export { RunStore, DEFAULT_DB_NAME, type CheckpointListing } from './run-store';
export type { CheckpointMeta, CheckpointRow, EpochRow, RunHistory, RunRecord, RunViews, StepRow } from './records';
export { isQuotaError } from './quota';
export { exportRunFile, importRunFile, randomRunId } from './run-transfer';
export { RUN_FILE_EXTENSION, RunFileError } from './run-file';
export { latestAttemptRows, latestEpochRecords, resultsCsvOf } from './results';
export { exportPyTorchBundle } from './pytorch-bundle';
