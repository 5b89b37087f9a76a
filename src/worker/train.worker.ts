/// <reference lib="webworker" />
/**
 * The dedicated module worker: a thin adapter from `self` messages to a TrainingSession; only wiring lives here.
 * `onmessage` is set during module evaluation, before anything awaits, so the page's first command is never lost.
 */
import { browserImageDecoder } from '../data/browser-files';
import { RunStore } from '../store/run-store';
import { loseDeviceForTest, prepareBackend } from './backend-setup';
import { browserSourceFor } from '../data/browser-source';
import { assembleRun } from '../run/assemble';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { TrainingSession } from './session';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

let store: Promise<RunStore> | undefined;
/** Relative data URLs resolve against the page, which `init` names; until then, the worker's origin root. */
let pageUrl = new URL('/', scope.location.href).href;

const session = new TrainingSession({
  post,
  openStore: () => (store ??= RunStore.open()),
  prepareBackend,
  createEngine: (settings, resumeState, changes) =>
    assembleRun(settings, { source: browserSourceFor(settings.data, pageUrl), decoder: browserImageDecoder }, resumeState, changes),
});

scope.onmessage = (message: MessageEvent<WorkerCommand>) => {
  const command = message.data;
  if (command.type === 'init' && command.pageUrl) pageUrl = command.pageUrl;
  if (command.type === 'test-lose-device') {
    if (import.meta.env.VITE_LAB_TEST_HOOKS === '1') loseDeviceForTest();
    return;
  }
  void session.handle(command);
};

// A rejected promise nobody awaited would otherwise vanish silently in a worker.
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason: unknown = event.reason;
  post({
    type: 'error',
    runId: '',
    code: 'internal',
    message: `unhandled error in the training worker: ${reason instanceof Error ? reason.message : String(reason)}`,
    context: { stack: reason instanceof Error ? reason.stack : undefined },
  });
});
