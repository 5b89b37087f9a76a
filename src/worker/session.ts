/**
 * The worker's logic, independent of how messages travel: commands in through `handle()`, events out through the
 * `post` function it is given. train.worker.ts wires it to `self`; tests wire it to an in-process transport.
 *
 * Control flow: a command that starts training launches a detached loop of steps; pause/stop/validate/export are
 * served at the next step boundary, so a step is never interrupted halfway and every command is answered.
 */
import { BackendUnavailableError } from '../runtime/backend';
import { formatBytes } from '../run/format';
import { fallbackOffers, type BackendHandle } from './backend-handle';
import type { TrainingEngine } from './engine';
import type {
  CheckpointReason,
  ErrorCode,
  ErrorContext,
  PostEvent,
  PredictionImage,
  RecoveryOffer,
  RunSettings,
  RunStatus,
  WorkerCommand,
  WorkerEvent,
} from './protocol';
import { transferablesOf } from './protocol';
import { HistoryWriter } from '../store/history-writer';
import { isQuotaError } from '../store/quota';
import type { RunRecord } from '../store/records';
import type { RunStore } from '../store/run-store';
import { NonFiniteLossError } from '../train/errors';

export interface SessionDeps {
  post: PostEvent;
  openStore(): Promise<RunStore>;
  prepareBackend(settings: RunSettings): Promise<BackendHandle>;
  createEngine(settings: RunSettings): Promise<TrainingEngine>;
  /** Lets queued commands in between steps; the worker uses a macrotask. */
  yieldToEvents?(): Promise<void>;
}

/** How the loop should go on at the next step boundary. `abandon`: the worker is going away, write nothing more. */
type Control = 'run' | 'step' | 'pause' | 'stop' | 'abandon';

class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  private status: RunStatus = 'idle';
  private settings: RunSettings | undefined;
  private engine: TrainingEngine | undefined;
  private store: RunStore | undefined;
  private writer: HistoryWriter | undefined;
  private attempt = 0;
  private control: Control = 'pause';
  private loop: Promise<void> | undefined;
  private boundaryTasks: (() => Promise<void>)[] = [];
  private deviceLost: Promise<never> | undefined;
  private deviceLostReason: string | undefined;
  private trainMs = 0;
  private initialised: Promise<boolean> | undefined;
  private abandoned = false;

  constructor(private readonly deps: SessionDeps) {}

  get currentStatus(): RunStatus {
    return this.status;
  }

  /** Serves one command. Never rejects: failures become `error` events. */
  async handle(command: WorkerCommand): Promise<void> {
    if (this.abandoned) return;
    try {
      if (command.type === 'init') {
        this.initialised = this.init(command.settings, command.resume === true);
        await this.initialised;
        return;
      }
      if (!(await this.initialised)) {
        this.fail('invalid-settings', `'${command.type}' needs a successful 'init' first`, {});
        return;
      }
      await this.dispatch(command);
    } catch (error) {
      this.fail('internal', messageOf(error), { stack: stackOf(error) });
    }
  }

  /**
   * The worker is being torn down (or, in tests, made to crash): the loop ends at the next boundary without a
   * checkpoint, as a real crash would leave things, and the model is freed.
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    this.control = 'abandon';
    await this.settled();
    this.engine?.dispose();
    this.engine = undefined;
  }

  /** Resolves when the current training loop (if any) has ended. */
  async settled(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async dispatch(command: Exclude<WorkerCommand, { type: 'init' }>): Promise<void> {
    switch (command.type) {
      case 'start':
      case 'resume':
        return this.launch('run');
      case 'step-once':
        return this.launch('step');
      case 'pause':
        if (this.loop) this.control = 'pause';
        return;
      case 'stop':
        if (this.loop) this.control = 'stop';
        else if (this.status === 'idle' || this.status === 'paused') await this.halt('stop');
        return;
      case 'validate-now':
        return this.atBoundary(() => this.validateNow());
      case 'export-weights':
        return this.atBoundary(() => this.exportWeights(command.which));
    }
  }

  // ----- init ---------------------------------------------------------------------------------------------------

  private async init(settings: RunSettings, resume: boolean): Promise<boolean> {
    this.settings = settings;
    this.store = await this.deps.openStore();
    let backend: BackendHandle;
    try {
      backend = await this.deps.prepareBackend(settings);
    } catch (error) {
      if (error instanceof BackendUnavailableError) {
        this.post({
          type: 'error',
          runId: settings.runId,
          code: 'backend-unavailable',
          message: `${error.backend} is not available: ${error.message}.`,
          context: { phase: 'init', detail: `reason: ${error.reason}` },
          offers: fallbackOffers(error.backend),
        });
        return false;
      }
      throw error;
    }
    this.post({
      type: 'ready',
      runId: settings.runId,
      backend: backend.backend,
      requested: settings.backend,
      adapter: backend.adapter,
      wasmThreads: backend.wasmThreads,
    });
    if (backend.adapter?.isFallbackAdapter) {
      this.post({
        type: 'warning',
        runId: settings.runId,
        message: `WebGPU runs on a software (fallback) adapter (${backend.adapter.description || backend.adapter.vendor}): correct, but much slower than a GPU.`,
      });
    }
    this.watchDevice(backend);

    try {
      this.engine = await this.deps.createEngine(settings);
    } catch (error) {
      this.fail('invalid-settings', `could not build the run: ${messageOf(error)}`, { phase: 'init', stack: stackOf(error) });
      return false;
    }
    const summary = this.engine.summary();
    this.post({ type: 'summary', runId: settings.runId, summary });

    const existing = await this.store.getRun(settings.runId);
    if (resume && existing) await this.restoreFrom(existing);
    else await this.store.putRun(newRunRecord(settings, summary.parameters));
    this.writer = new HistoryWriter(this.store, settings.runId, {
      onWriteFailed: (error, quota) => this.onHistoryWriteFailed(error, quota),
      onRecovered: () => this.log('history writes succeed again; nothing was lost'),
    });
    await this.store.updateRun(settings.runId, {
      backend: backend.backend,
      adapter: backend.adapter,
      attempt: this.attempt,
      totalParams: summary.parameters,
    });
    await this.changeStatus(resume ? 'paused' : 'idle');
    return true;
  }

  private async restoreFrom(run: RunRecord): Promise<void> {
    const engine = this.requireEngine();
    this.attempt = run.attempt + 1;
    this.trainMs = run.trainMs;
    const checkpoint = await this.requireStore().loadLatestCheckpoint(run.runId);
    // An imported run file may carry the weights without the resume state.
    if (!checkpoint || checkpoint.state.byteLength === 0) {
      this.post({
        type: 'warning',
        runId: run.runId,
        message: 'This run has no resumable checkpoint: it starts again from epoch 0. Its earlier points stay in its history.',
      });
      return;
    }
    await engine.restore(checkpoint.state);
    this.log(`resumed from the checkpoint at epoch ${checkpoint.epoch}, step ${checkpoint.globalStep} (attempt ${this.attempt})`);
  }

  private watchDevice(backend: BackendHandle): void {
    if (!backend.deviceLost) return;
    this.deviceLost = backend.deviceLost.then((reason) => {
      this.deviceLostReason = reason;
      throw new DeviceLostError(reason);
    });
    this.deviceLost.catch(() => {
      // With no step in flight the loop is not there to notice: pause the run here.
      if (!this.loop && (this.status === 'idle' || this.status === 'paused')) void this.onDeviceLost();
    });
  }

  // ----- the loop -----------------------------------------------------------------------------------------------

  private async launch(control: 'run' | 'step'): Promise<void> {
    if (this.loop) {
      this.control = control;
      return;
    }
    if (this.status !== 'idle' && this.status !== 'paused') {
      this.log(`cannot train: the run is ${this.status}`);
      return;
    }
    if (this.deviceLostReason !== undefined) return this.onDeviceLost();
    this.control = control;
    const loop = this.runLoop().finally(() => {
      if (this.loop === loop) this.loop = undefined;
    });
    this.loop = loop;
  }

  private async runLoop(): Promise<void> {
    const engine = this.requireEngine();
    // Stored too: after a page reload, a stored 'running' with no worker means the run was interrupted.
    await this.changeStatus('running');
    for (;;) {
      if (this.control === 'abandon') return;
      await this.runBoundaryTasks();
      if (this.deviceLostReason !== undefined) return this.onDeviceLost();
      if (this.control === 'pause') return this.halt('pause');
      if (this.control === 'stop') return this.halt('stop');
      if (engine.position().epoch >= engine.epochs) return this.finish();

      if (!(await this.trainOneStep())) return;
      if (this.epochJustEnded() && !(await this.guard(() => this.closeEpoch()))) return;
      if (this.control === 'step') {
        // A teaching step pauses without a checkpoint of its own; the next pause or epoch end writes one.
        this.control = 'pause';
        await this.flushHistory();
        await this.changeStatus('paused');
        return;
      }
      await (this.deps.yieldToEvents ?? macrotask)();
    }
  }

  private epochJustEnded(): boolean {
    const engine = this.requireEngine();
    return engine.position().iteration >= engine.itersPerEpoch;
  }

  /** One step; false when the run cannot go on (the reason was already reported). */
  private async trainOneStep(): Promise<boolean> {
    const engine = this.requireEngine();
    const settings = this.requireSettings();
    return this.guard(async () => {
      const started = performance.now();
      const outcome = await this.raceDevice(engine.trainStep());
      this.trainMs += performance.now() - started;
      // A worker torn down mid-step is dead: like a real crash, it logs nothing more.
      if (this.abandoned) return;
      const step = { ...outcome, time: Date.now() };
      this.post({ type: 'step', runId: settings.runId, attempt: this.attempt, ...step });
      void this.requireWriter().appendStep({ ...step, runId: settings.runId, attempt: this.attempt });
    });
  }

  private async closeEpoch(): Promise<void> {
    const engine = this.requireEngine();
    const runId = this.requireSettings().runId;
    const outcome = await this.raceDevice(engine.endEpoch());
    const time = Date.now();
    this.post({ type: 'epoch', runId, attempt: this.attempt, record: outcome.record, time, details: outcome.details });
    await this.requireWriter().appendEpoch({
      runId,
      attempt: this.attempt,
      record: outcome.record,
      time,
      details: outcome.details,
    });
    this.postPredictions(outcome.predictions, outcome.record.epoch);
    await this.checkpoint('epoch');
  }

  /** Runs `work`; turns a lost device, a NaN loss or any other failure into the right report. */
  private async guard(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      if (error instanceof DeviceLostError || this.deviceLostReason !== undefined) {
        await this.onDeviceLost();
        return false;
      }
      if (error instanceof NonFiniteLossError) {
        await this.onNonFinite(error);
        return false;
      }
      const position = this.engine?.position();
      this.fail('internal', `training failed: ${messageOf(error)}`, {
        phase: 'train',
        epoch: position?.epoch,
        iteration: position?.iteration,
        globalStep: position?.globalStep,
        stack: stackOf(error),
      });
      await this.flushHistory();
      await this.changeStatus('paused', messageOf(error));
      return false;
    }
  }

  private raceDevice<T>(work: Promise<T>): Promise<T> {
    return this.deviceLost ? Promise.race([work, this.deviceLost]) : work;
  }

  // ----- stopping points ----------------------------------------------------------------------------------------

  private async halt(reason: 'pause' | 'stop'): Promise<void> {
    await this.flushHistory();
    // After a lost device the weights are gone with it: the last checkpoint stays the resume point.
    if (this.deviceLostReason === undefined) await this.checkpoint(reason);
    const status = reason === 'pause' ? 'paused' : 'stopped';
    await this.changeStatus(status);
  }

  private async finish(): Promise<void> {
    const runId = this.requireSettings().runId;
    await this.flushHistory();
    await this.checkpoint('done');
    const run = await this.requireStore().getRun(runId);
    this.post({ type: 'done', runId, epochs: this.requireEngine().epochs, best: run?.bestMap50 ?? 0 });
    await this.changeStatus('done');
  }

  private async onDeviceLost(): Promise<void> {
    const runId = this.requireSettings().runId;
    const cause = `GPU device lost: ${this.deviceLostReason ?? 'unknown reason'}`;
    const position = this.engine?.position();
    await this.flushHistory();
    await this.changeStatus('paused', cause);
    // Last: on this error the client drops the worker, since a lost device cannot come back in it.
    this.post({
      type: 'error',
      runId,
      code: 'device-lost',
      message: `${cause}. The run is paused; resume continues from its last checkpoint in a fresh worker.`,
      context: { phase: 'train', epoch: position?.epoch, iteration: position?.iteration, globalStep: position?.globalStep },
      offers: [{ kind: 'resume-from-checkpoint', runId }],
    });
  }

  private async onNonFinite(error: NonFiniteLossError): Promise<void> {
    const runId = this.requireSettings().runId;
    const message =
      `The ${error.term} loss became ${String(error.value)} at step ${error.step} ` +
      `(epoch ${error.epoch}, iteration ${error.iteration}). The run is stopped: lower lr0 or check the data, ` +
      'then resume from the last checkpoint or start again.';
    await this.flushHistory();
    this.post({
      type: 'error',
      runId,
      code: 'non-finite-loss',
      message,
      context: {
        phase: 'train',
        epoch: error.epoch,
        iteration: error.iteration,
        globalStep: error.step,
        lossTerm: error.term,
        value: error.value,
      },
      offers: [{ kind: 'resume-from-checkpoint', runId }],
    });
    await this.changeStatus('failed', message);
  }

  // ----- checkpoints, validation, export ------------------------------------------------------------------------

  private async checkpoint(reason: CheckpointReason): Promise<void> {
    const engine = this.requireEngine();
    const runId = this.requireSettings().runId;
    const position = engine.position();
    const { weights, state } = await engine.snapshot();
    const bytes = weights.byteLength + state.byteLength;
    const meta = { epoch: position.epoch, globalStep: position.globalStep, reason, bytes };
    try {
      await this.requireStore().saveCheckpoint({ ...meta, runId, savedAt: Date.now(), weights, state });
      await this.requireStore().updateRun(runId, { trainMs: this.trainMs });
      this.post({ type: 'checkpoint', runId, ...meta, saved: true });
    } catch (error) {
      this.post({ type: 'checkpoint', runId, ...meta, saved: false });
      if (!isQuotaError(error)) throw error;
      this.post({
        type: 'error',
        runId,
        code: 'quota-exceeded',
        message:
          `Browser storage is full: the ${reason} checkpoint (${formatBytes(bytes)}) was not saved. ` +
          'The run and its history are kept; delete old checkpoints to make room.',
        context: { phase: 'checkpoint', epoch: position.epoch, globalStep: position.globalStep },
        offers: this.quotaOffers(),
      });
    }
  }

  private async validateNow(): Promise<void> {
    const runId = this.requireSettings().runId;
    const engine = this.requireEngine();
    const outcome = await this.raceDevice(engine.validate());
    const { epoch, globalStep } = engine.position();
    this.post({ type: 'validation', runId, epoch, globalStep, values: outcome.values, details: outcome.details });
    this.postPredictions(outcome.predictions, epoch);
  }

  private async exportWeights(which: 'ema' | 'raw'): Promise<void> {
    const settings = this.requireSettings();
    const bytes = await this.requireEngine().exportWeights(which);
    // The run's name may hold anything a user typed; keep the file name portable.
    const base = (settings.name || settings.runId).replace(/[^\w.-]+/g, '_');
    const fileName = `${base}-${which}.safetensors`;
    this.post({ type: 'weights', runId: settings.runId, which, fileName, bytes });
  }

  private postPredictions(images: PredictionImage[], epoch: number): void {
    if (images.length === 0) return;
    this.post({ type: 'predictions', runId: this.requireSettings().runId, epoch, images });
  }

  /** Runs a task between steps when a loop is running, or now when none is. */
  private async atBoundary(task: () => Promise<void>): Promise<void> {
    const guarded = async () => {
      await this.guard(task);
    };
    if (this.loop) this.boundaryTasks.push(guarded);
    else await guarded();
  }

  private async runBoundaryTasks(): Promise<void> {
    const tasks = this.boundaryTasks;
    this.boundaryTasks = [];
    for (const task of tasks) await task();
  }

  // ----- persistence helpers ------------------------------------------------------------------------------------

  private onHistoryWriteFailed(error: unknown, quota: boolean): void {
    const runId = this.requireSettings().runId;
    this.post({
      type: 'error',
      runId,
      code: quota ? 'quota-exceeded' : 'internal',
      message: quota
        ? 'Browser storage is full: new history points are kept in memory and will be written as soon as there is room. Delete old checkpoints to make room.'
        : `Could not save history (${messageOf(error)}); points are kept in memory and retried.`,
      context: { phase: 'persist', detail: messageOf(error) },
      offers: quota ? this.quotaOffers() : undefined,
    });
  }

  private quotaOffers(): RecoveryOffer[] {
    return [{ kind: 'delete-old-checkpoints', runId: this.requireSettings().runId }];
  }

  private async flushHistory(): Promise<void> {
    await this.writer?.flush();
  }

  /** Records the status (and its cause, or none) in the store, then tells the page. */
  private async changeStatus(status: RunStatus, cause?: string): Promise<void> {
    const runId = this.requireSettings().runId;
    try {
      await this.requireStore().updateRun(runId, { status, cause, trainMs: this.trainMs });
    } catch (error) {
      this.log(`could not record the run status '${status}': ${messageOf(error)}`);
    }
    this.setStatus(status, cause);
  }

  // ----- events -------------------------------------------------------------------------------------------------

  private setStatus(status: RunStatus, cause?: string): void {
    this.status = status;
    const position = this.engine?.position();
    this.post({
      type: 'state',
      runId: this.settings?.runId ?? '',
      status,
      cause,
      epoch: position?.epoch,
      globalStep: position?.globalStep,
    });
  }

  private fail(code: ErrorCode, message: string, context: ErrorContext): void {
    this.post({ type: 'error', runId: this.settings?.runId ?? '', code, message, context });
  }

  private log(message: string): void {
    this.post({ type: 'log', runId: this.settings?.runId ?? '', level: 'info', message });
  }

  private post(event: WorkerEvent): void {
    if (this.abandoned) return;
    this.deps.post(event, transferablesOf(event));
  }

  private requireEngine(): TrainingEngine {
    if (!this.engine) throw new Error('the session has no model yet');
    return this.engine;
  }
  private requireStore(): RunStore {
    if (!this.store) throw new Error('the session has no store yet');
    return this.store;
  }
  private requireWriter(): HistoryWriter {
    if (!this.writer) throw new Error('the session has no history writer yet');
    return this.writer;
  }
  private requireSettings(): RunSettings {
    if (!this.settings) throw new Error('the session has no settings yet');
    return this.settings;
  }
}

function newRunRecord(settings: RunSettings, totalParams: number): RunRecord {
  const now = Date.now();
  return {
    runId: settings.runId,
    settings,
    status: 'idle',
    createdAt: now,
    updatedAt: now,
    attempt: 0,
    epochsDone: 0,
    globalStep: 0,
    bestMap50: 0,
    trainMs: 0,
    totalParams,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
