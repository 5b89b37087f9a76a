/**
 * What the worker tells the user when something goes wrong, in one place: each text names the problem, where it
 * happened and what to do next.
 */
import { formatBytes } from '../run/format';
import type { AdapterInfo } from '../runtime/adapter-info';
import type { NonFiniteLossError, NonFiniteStateError } from '../train/errors';
import type { CheckpointReason } from './protocol';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

export const errorTexts = {
  backendUnavailable: (backend: string, reason: string) => `${backend} is not available: ${reason}.`,
  fallbackAdapter: (adapter: AdapterInfo) =>
    `WebGPU runs on a software (fallback) adapter (${adapter.description || adapter.vendor}): correct, but much slower than a GPU.`,
  buildFailed: (reason: string) => `could not build the run: ${reason}`,
  needsInit: (command: string) => `'${command}' needs a successful 'init' first`,
  cannotTrain: (status: string) => `cannot train: the run is ${status}`,
  trainingFailed: (reason: string) => `training failed: ${reason}`,
  noResumableCheckpoint: 'This run has no resumable checkpoint: it starts again from epoch 0. Its earlier points stay in its history.',
  resumed: (epoch: number, step: number, attempt: number) => `resumed from the checkpoint at epoch ${epoch}, step ${step} (attempt ${attempt})`,
  deviceLostCause: (reason: string | undefined) => `GPU device lost: ${reason ?? 'unknown reason'}`,
  deviceLost: (cause: string) => `${cause}. The run is paused; resume continues from its last checkpoint in a fresh worker.`,
  wasmFailureCause: (reason: string) => `WebAssembly failed (${reason})`,
  wasmFailure: (cause: string) =>
    `${cause}. tfjs' WebAssembly heap holds at most 4 GB: if this run needs more, a smaller batch or image size does ` +
    '(at 640 px, WebGPU). The run is paused; resume continues from its last checkpoint in a fresh worker.',
  nonFiniteLoss: (error: NonFiniteLossError) =>
    `The ${error.phase === 'val' ? 'val ' : ''}${error.term} loss became ${String(error.value)} at step ${error.step} ` +
    `(epoch ${error.epoch}, iteration ${error.iteration}). The run is stopped: lower lr0 or check the data, ` +
    'then resume from the last checkpoint or start again.',
  nonFiniteState: (error: NonFiniteStateError) =>
    `The weights or optimizer state hold ${error.count} non-finite values (in ${error.tensors.join(', ')}) at epoch ${error.epoch}, ` +
    `step ${error.step}; they were not saved. The run is stopped: lower lr0, then resume from the last checkpoint or start again.`,
  lastGoodCheckpoint: (saved: { epoch: number; globalStep: number } | undefined) =>
    saved ? `Its last good checkpoint is from epoch ${saved.epoch}, step ${saved.globalStep}.` : 'It has no checkpoint yet.',
  checkpointQuota: (reason: CheckpointReason, bytes: number) =>
    `Browser storage is full: the ${reason} checkpoint (${formatBytes(bytes)}) was not saved. ` +
    'The run and its history are kept; delete old checkpoints to make room.',
  historyQuota:
    'Browser storage is full: new history points are kept in memory and will be written as soon as there is room. Delete old checkpoints to make room.',
  historyWriteFailed: (reason: string) => `Could not save history (${reason}); points are kept in memory and retried.`,
  historyRecovered: 'history writes succeed again; nothing was lost',
  statusNotRecorded: (status: string, reason: string) => `could not record the run status '${status}': ${reason}`,
  viewsNotRecorded: (reason: string) => `could not keep the run's val predictions and feature maps for after a reload: ${reason}`,
};
