/**
 * The page's handle on the training worker: spawns the module worker, sends typed commands, fans typed events out to
 * subscribers, and turns a worker crash into a paused run (the worker cannot report its own death). Resuming, after
 * a crash, a lost device or a page reload, always starts a fresh worker that continues from the last checkpoint.
 */
import type { RunSettings, WorkerCommand, WorkerEvent, WorkerEventOf, WorkerEventType } from './protocol';

/** The part of `Worker` the client uses; tests pass an in-process transport with the same shape. */
export interface WorkerLike {
  postMessage(message: WorkerCommand, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerEvent>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'messageerror', listener: (event: MessageEvent) => void): void;
}

export type WorkerFactory = () => WorkerLike;

/** Where the client records a crash, since the dead worker cannot (the store's `updateRun` fits). */
export interface CrashRecorder {
  updateRun(runId: string, patch: { status: 'paused'; cause: string }): Promise<unknown>;
}

export function createTrainWorker(): Worker {
  return new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'backbone-lab-trainer' });
}

type Listener = (event: WorkerEvent) => void;

/** The page's address, for the worker to resolve relative data URLs (absent outside a browser). */
function pageUrl(): string | undefined {
  return (globalThis as { location?: { href?: string } }).location?.href;
}

export class TrainingClient {
  private worker: WorkerLike | undefined;
  private runId: string | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly createWorker: WorkerFactory = createTrainWorker,
    private readonly crashRecorder?: CrashRecorder,
  ) {}

  /** All events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events of one type, typed. */
  on<T extends WorkerEventType>(type: T, handler: (event: WorkerEventOf<T>) => void): () => void {
    return this.subscribe((event) => {
      if (event.type === type) handler(event as WorkerEventOf<T>);
    });
  }

  get activeRunId(): string | undefined {
    return this.runId;
  }

  get hasWorker(): boolean {
    return this.worker !== undefined;
  }

  /** Starts a fresh worker for a new run and initialises it (model, data, backend). Then call `start()`. */
  init(settings: RunSettings): void {
    this.spawn(settings.runId);
    this.send({ type: 'init', settings, pageUrl: pageUrl() });
  }

  /** Continues a stored run from its last checkpoint in a fresh worker, and starts training; `hypYaml` changes its hyp. */
  resumeRun(settings: RunSettings, hypYaml?: string): void {
    this.spawn(settings.runId);
    this.send({ type: 'init', settings, resume: true, pageUrl: pageUrl(), hypYaml });
    this.send({ type: 'start' });
  }

  start(): void {
    this.send({ type: 'start' });
  }
  pause(): void {
    this.send({ type: 'pause' });
  }
  resume(): void {
    this.send({ type: 'resume' });
  }
  stop(): void {
    this.send({ type: 'stop' });
  }
  stepOnce(): void {
    this.send({ type: 'step-once' });
  }
  validateNow(): void {
    this.send({ type: 'validate-now' });
  }
  exportWeights(which: 'ema' | 'raw' = 'ema'): void {
    this.send({ type: 'export-weights', which });
  }
  /** Tests only (see the `test-lose-device` command). */
  loseDeviceForTest(): void {
    this.send({ type: 'test-lose-device' });
  }

  /** Ends the worker without a checkpoint (use `stop()` first to keep one). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private send(command: WorkerCommand): void {
    if (!this.worker) throw new Error(`no training worker: cannot send '${command.type}'`);
    this.worker.postMessage(command);
  }

  private spawn(runId: string): void {
    this.terminate();
    const worker = this.createWorker();
    this.worker = worker;
    this.runId = runId;
    worker.addEventListener('message', (event) => {
      if (this.worker === worker) this.onEvent(event.data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
      if (this.worker === worker) this.onCrash(runId, `${event.message || 'the training worker crashed'}${where}`);
    });
    worker.addEventListener('messageerror', () => {
      if (this.worker === worker) this.onCrash(runId, 'a message from the training worker could not be read');
    });
  }

  private onEvent(event: WorkerEvent): void {
    this.emit(event);
    // A lost GPU device or a trapped wasm heap cannot be recovered in the same worker: drop it, resume makes a fresh one.
    if (event.type === 'error' && (event.code === 'device-lost' || event.code === 'worker-crash')) this.terminate();
  }

  private onCrash(runId: string, cause: string): void {
    this.terminate();
    this.emit({
      type: 'error',
      runId,
      code: 'worker-crash',
      message: `Training stopped: ${cause}. The run is paused; resume continues from its last checkpoint.`,
      context: { phase: 'train', detail: cause },
      offers: [{ kind: 'resume-from-checkpoint', runId }],
    });
    this.emit({ type: 'state', runId, status: 'paused', cause });
    void this.crashRecorder?.updateRun(runId, { status: 'paused', cause }).catch(() => undefined);
  }

  private emit(event: WorkerEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
