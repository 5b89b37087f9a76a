/**
 * A run as one file: a zip (fflate) holding
 *   run.json             format tag, version, and the run record (settings, status, counters)
 *   history/steps.json   every step row, every attempt
 *   history/epochs.json  every epoch row (the 13 tags, plus the viewer's PR curves and confusion matrix)
 *   results.csv          the epoch rows in YOLOv5's results.csv layout
 *   weights.safetensors  the last checkpoint's EMA weights, PyTorch state_dict names (absent before the first one)
 *   checkpoint.bin       the last checkpoint's resume state, so an imported run can be resumed (optional)
 *   checkpoint.json      that checkpoint's epoch, step and reason
 *   views/…              the newest val predictions and feature maps, when the run has them (run-file-views.ts)
 * The format is documented in docs/worker.md.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { CheckpointMeta, CheckpointRow, EpochRow, RunHistory, RunRecord, RunViews, StepRow } from './records';
import { resultsCsvOf } from './results';
import { runFileProblem } from './run-file-check';
import { RunViewsError, decodeViews, encodeViews } from './run-file-views';

export const RUN_FILE_FORMAT = 'backbone-lab-run';
export const RUN_FILE_VERSION = 1;
export const RUN_FILE_EXTENSION = '.labrun.zip';

export interface RunFileContents {
  run: RunRecord;
  history: RunHistory;
  checkpoint?: CheckpointRow;
  views?: RunViews;
}

/**
 * User-imported images are Blobs that a file cannot carry usefully: the data source keeps its format and classes,
 * and the importer must pick the folder again to resume.
 */
function portableRun(run: RunRecord): RunRecord {
  const data = run.settings.data;
  if (data.kind !== 'files') return run;
  return { ...run, settings: { ...run.settings, data: { ...data, files: [] } } };
}

export function encodeRunFile(contents: RunFileContents, options: { includeResumeState?: boolean } = {}): Uint8Array {
  const { run, history, checkpoint, views } = contents;
  const files: Zippable = {
    ...encodeViews(views),
    'run.json': strToU8(JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, run: portableRun(run) }, null, 2)),
    'history/steps.json': strToU8(JSON.stringify(history.steps)),
    'history/epochs.json': strToU8(JSON.stringify(history.epochs)),
    'results.csv': strToU8(resultsCsvOf(history.epochs)),
  };
  if (checkpoint) {
    const { weights, state, runId: _runId, ...meta } = checkpoint;
    // Weights barely compress; store them, so export and import stay fast for large models.
    files['weights.safetensors'] = [new Uint8Array(weights), { level: 0 }];
    files['checkpoint.json'] = strToU8(JSON.stringify(meta));
    if (options.includeResumeState ?? true) files['checkpoint.bin'] = [new Uint8Array(state), { level: 0 }];
  }
  return zipSync(files, { level: 6 });
}

export class RunFileError extends Error {
  override readonly name = 'RunFileError';
}

function json<T>(files: Record<string, Uint8Array>, name: string): T {
  const bytes = files[name];
  if (!bytes) throw new RunFileError(`not a lab run file: ${name} is missing`);
  try {
    return JSON.parse(strFromU8(bytes)) as T;
  } catch (error) {
    throw new RunFileError(`${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const copyBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

/** Reads a run file. `runId` renames the run (and all its rows), e.g. when that id is already taken. */
export function decodeRunFile(bytes: Uint8Array, runId?: string): RunFileContents {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new RunFileError(`not a zip file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const header = json<{ format?: string; version?: number; run?: RunRecord }>(files, 'run.json');
  if (header.format !== RUN_FILE_FORMAT || !header.run) throw new RunFileError('not a lab run file (run.json has no run)');
  if (header.version !== RUN_FILE_VERSION) throw new RunFileError(`unsupported run file version ${String(header.version)}`);
  const rawSteps = json<StepRow[]>(files, 'history/steps.json');
  const rawEpochs = json<EpochRow[]>(files, 'history/epochs.json');
  const weights = files['weights.safetensors'];
  const meta = weights ? json<CheckpointMeta>(files, 'checkpoint.json') : undefined;
  const problem = runFileProblem({ run: header.run, steps: rawSteps, epochs: rawEpochs, checkpoint: meta });
  if (problem) throw new RunFileError(`not a usable run file: ${problem}`);

  const id = runId ?? header.run.runId;
  const run: RunRecord = { ...header.run, runId: id, settings: { ...header.run.settings, runId: id } };
  const steps = rawSteps.map((row) => ({ ...row, runId: id }));
  const epochs = rawEpochs.map((row) => ({ ...row, runId: id }));
  let views: RunViews | undefined;
  try {
    views = decodeViews(files, id);
  } catch (error) {
    if (error instanceof RunViewsError) throw new RunFileError(`not a usable run file: ${error.message}`);
    throw error;
  }
  if (!weights || !meta) return { run: { ...run, lastCheckpoint: undefined }, history: { steps, epochs }, views };
  const state = files['checkpoint.bin'];
  const checkpoint: CheckpointRow = {
    ...meta,
    runId: id,
    weights: copyBuffer(weights),
    state: state ? copyBuffer(state) : new ArrayBuffer(0),
  };
  return { run, history: { steps, epochs }, checkpoint, views };
}
