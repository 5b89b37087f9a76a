/**
 * Export and import of whole runs between a RunStore and run files (see run-file.ts for the format).
 */
import { decodeRunFile, encodeRunFile } from './run-file';
import type { RunStore } from './run-store';

export async function exportRunFile(
  store: RunStore,
  runId: string,
  options: { includeResumeState?: boolean } = {},
): Promise<Uint8Array> {
  const run = await store.getRun(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const [history, checkpoint, views] = await Promise.all([store.getHistory(runId), store.loadLatestCheckpoint(runId), store.getViews(runId)]);
  return encodeRunFile({ run, history, checkpoint, views }, options);
}

/**
 * Adds the run in `bytes` to the store; a run whose id is taken is imported as a copy under a new id, its name marked
 * "(imported)" so the two can be told apart. Returns the id.
 */
export async function importRunFile(store: RunStore, bytes: Uint8Array, newId: () => string = randomRunId): Promise<string> {
  const original = decodeRunFile(bytes);
  const taken = (await store.getRun(original.run.runId)) !== undefined;
  const { run, history, checkpoint, views } = taken ? decodeRunFile(bytes, newId()) : original;
  const name = taken ? `${run.settings.name} (imported)` : run.settings.name;
  // An imported run is not training anywhere: a run that was mid-flight becomes resumable.
  const status = run.status === 'running' ? 'paused' : run.status;
  await store.putRun({ ...run, settings: { ...run.settings, name }, status, lastCheckpoint: undefined });
  await store.appendHistory(run.runId, history.steps, history.epochs);
  if (checkpoint) await store.saveCheckpoint(checkpoint);
  if (views?.predictions) await store.putPredictions(run.runId, views.predictions.epoch, views.predictions.images);
  if (views?.featureMaps) await store.putFeatureMaps(run.runId, views.featureMaps);
  return run.runId;
}

export function randomRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
