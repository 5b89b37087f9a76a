/**
 * The worker's logic, independent of how messages travel: commands in through `handle()`, events out through the
 * `post` function it is given. train.worker.ts wires it to `self`; tests wire it to an in-process transport.
 *
 * Control flow: a command that starts training launches the run's step loop (src/run/step-loop.ts, the same loop
 * `lab train` drives) in the background; pause/stop/validate/export are served between two steps, so a step is never
 * interrupted halfway and every command is answered. What is stored lives in recording.ts, what the user reads in
 * error-texts.ts.
 */
import type { ResumeChanges } from '../run/assemble';
import type { TrainingEngine } from '../run/engine';
import { runSteps } from '../run/step-loop';
import { BackendUnavailableError } from '../runtime/backend';
import type { RunRecord } from '../store/records';
import type { RunStore } from '../store/run-store';
import { NonFiniteLossError, NonFiniteStateError } from '../train/errors';
import { fallbackOffers, type BackendHandle } from './backend-handle';
import { errorTexts, messageOf, stackOf } from './error-texts';
import type { ErrorCode, ErrorContext, PostEvent, PredictionImage, RunSettings, RunStatus, WorkerCommand, WorkerEvent } from './protocol';
import { transferablesOf } from './protocol';
import { RunRecorder } from './recording';

export interface SessionDeps {
  post: PostEvent;
  openStore(): Promise<RunStore>;
  prepareBackend(settings: RunSettings): Promise<BackendHandle>;
  /**
   * Assembles the run (src/run/assemble.ts), from the packed resume state of its last checkpoint when there is one,
   * with a resumed run's changes (another hyp).
   */
  createEngine(settings: RunSettings, resumeState?: ArrayBuffer, changes?: ResumeChanges): Promise<TrainingEngine>;
  /** Lets queued commands in between steps; the worker uses a macrotask. */
  yieldToEvents?(): Promise<void>;
}

/** How the loop should go on at the next step boundary. `abandon`: the worker is going away, write nothing more. */
type Control = 'run' | 'step' | 'pause' | 'stop' | 'abandon';

/** The run a successful `init` set up: everything the other commands work on. */
interface ActiveRun {
  settings: RunSettings;
  engine: TrainingEngine;
  recorder: RunRecorder;
  attempt: number;
}

class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}

/** How long a failure on WebGPU waits for the device's `lost` promise before it counts as a failure of its own. */
const DEVICE_LOSS_GRACE_MS = 2000;

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  private status: RunStatus = 'idle';
  /** The settings of the last `init`, known before the run exists (its errors name the run). */
  private runId = '';
  private active: ActiveRun | undefined;
  private control: Control = 'pause';
  private loop: Promise<void> | undefined;
  private boundaryTasks: (() => Promise<void>)[] = [];
  private deviceLost: Promise<never> | undefined;
  private deviceLostReason: string | undefined;
  private initialised: Promise<ActiveRun | undefined> | undefined;
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
        this.initialised = this.init(command.settings, command.resume === true, command.hypYaml);
        this.active = await this.initialised;
        if (this.active) await this.changeStatus(command.resume === true ? 'paused' : 'idle');
        return;
      }
      const active = await this.initialised;
      if (!active) {
        this.fail('invalid-settings', errorTexts.needsInit(command.type), {});
        return;
      }
      await this.dispatch(active, command);
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
    this.active?.engine.dispose();
    this.active = undefined;
  }

  /** Resolves when the current training loop (if any) has ended. */
  async settled(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async dispatch(run: ActiveRun, command: Exclude<WorkerCommand, { type: 'init' }>): Promise<void> {
    switch (command.type) {
      case 'start':
      case 'resume':
        return this.launch(run, 'run');
      case 'step-once':
        return this.launch(run, 'step');
      case 'pause':
        if (this.loop) this.control = 'pause';
        return;
      case 'stop':
        if (this.loop) this.control = 'stop';
        else if (this.status === 'idle' || this.status === 'paused') await this.halt(run, 'stop');
        return;
      case 'validate-now':
        return this.atBoundary(run, () => this.validateNow(run));
      case 'export-weights':
        return this.atBoundary(run, () => this.exportWeights(run, command.which));
    }
  }

  // ----- init ---------------------------------------------------------------------------------------------------

  /** Selects the backend and assembles the run (from its last checkpoint when resuming); undefined on failure. */
  private async init(settings: RunSettings, resume: boolean, hypYaml?: string): Promise<ActiveRun | undefined> {
    this.runId = settings.runId;
    const store = await this.deps.openStore();
    const backend = await this.prepareBackend(settings);
    if (!backend) return undefined;

    const existing = resume ? await store.getRun(settings.runId) : undefined;
    const checkpoint = existing && (await store.loadLatestCheckpoint(settings.runId));
    // An imported run file may carry the weights without the resume state.
    const state = checkpoint && checkpoint.state.byteLength > 0 ? checkpoint.state : undefined;
    if (existing && !state) this.post({ type: 'warning', runId: settings.runId, message: errorTexts.noResumableCheckpoint });

    let engine: TrainingEngine;
    try {
      engine = await this.deps.createEngine(settings, state, resume ? { hypYaml } : {});
    } catch (error) {
      this.fail('invalid-settings', errorTexts.buildFailed(messageOf(error)), { phase: 'init', stack: stackOf(error) });
      return undefined;
    }
    const attempt = existing ? existing.attempt + 1 : 0;
    if (checkpoint && state) this.log(errorTexts.resumed(checkpoint.epoch, checkpoint.globalStep, attempt));
    for (const notice of engine.notices) this.post({ type: 'warning', runId: settings.runId, message: notice });
    if (engine.anchors) this.log(engine.anchors.message);
    const summary = engine.summary();
    this.post({ type: 'summary', runId: settings.runId, summary });

    // Stored as the run resolved them (its anchors and full hyp), so exports and resumes rebuild the same model.
    if (!existing) await store.putRun(newRunRecord(engine.settings, summary.parameters));
    await store.updateRun(settings.runId, { settings: engine.settings, backend: backend.backend, adapter: backend.adapter, attempt, totalParams: summary.parameters });
    const recorder = new RunRecorder(store, settings.runId, (event) => this.post(event), existing?.trainMs ?? 0);
    return { settings, engine, recorder, attempt };
  }

  private async prepareBackend(settings: RunSettings): Promise<BackendHandle | undefined> {
    let backend: BackendHandle;
    try {
      backend = await this.deps.prepareBackend(settings);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      this.post({
        type: 'error',
        runId: settings.runId,
        code: 'backend-unavailable',
        message: errorTexts.backendUnavailable(error.backend, error.message),
        context: { phase: 'init', detail: `reason: ${error.reason}` },
        offers: fallbackOffers(error.backend),
      });
      return undefined;
    }
    this.post({
      type: 'ready',
      runId: settings.runId,
      backend: backend.backend,
      requested: settings.backend,
      adapter: backend.adapter,
      wasmThreads: backend.wasmThreads,
      note: backend.note,
    });
    if (backend.note) this.log(backend.note);
    if (backend.adapter?.isFallbackAdapter) {
      this.post({ type: 'warning', runId: settings.runId, message: errorTexts.fallbackAdapter(backend.adapter) });
    }
    this.watchDevice(backend);
    return backend;
  }

  private watchDevice(backend: BackendHandle): void {
    if (!backend.deviceLost) return;
    this.deviceLost = backend.deviceLost.then((reason) => {
      this.deviceLostReason = reason;
      throw new DeviceLostError(reason);
    });
    this.deviceLost.catch(async () => {
      // With no step in flight the loop is not there to notice: pause the run here.
      const run = await this.initialised;
      if (run && !this.loop && (this.status === 'idle' || this.status === 'paused')) void this.onDeviceLost(run);
    });
  }

  // ----- the loop -----------------------------------------------------------------------------------------------

  private async launch(run: ActiveRun, control: 'run' | 'step'): Promise<void> {
    if (this.loop) {
      this.control = control;
      return;
    }
    if (this.status !== 'idle' && this.status !== 'paused') {
      this.log(errorTexts.cannotTrain(this.status));
      return;
    }
    if (this.deviceLostReason !== undefined) return this.onDeviceLost(run);
    this.control = control;
    const loop = this.runLoop(run).finally(() => {
      if (this.loop === loop) this.loop = undefined;
      // Commands that came while the loop was ending are still answered.
      return this.runBoundaryTasks();
    });
    this.loop = loop;
  }

  private async runLoop(run: ActiveRun): Promise<void> {
    const { engine, recorder, settings, attempt } = run;
    const runId = settings.runId;
    // Stored too: after a page reload, a stored 'running' with no worker means the run was interrupted.
    await this.changeStatus('running');
    let steps = 0;
    /** In a teaching step: the step count at which to pause. */
    let pauseAt: number | undefined;
    let stepStarted = 0;
    try {
      const end = await runSteps(engine, {
        proceed: async () => {
          if (this.control === 'abandon') return false;
          if (steps > 0) await (this.deps.yieldToEvents ?? macrotask)();
          await this.runBoundaryTasks();
          if (this.deviceLostReason !== undefined) return false;
          // A teaching step trains exactly one batch (and closes its epoch when it was the last).
          if (this.control === 'step') {
            pauseAt ??= steps + 1;
            if (steps >= pauseAt) return false;
          } else if (this.control === 'run') pauseAt = undefined;
          else return false;
          stepStarted = performance.now();
          return true;
        },
        guard: (work) => (this.deviceLost ? Promise.race([work, this.deviceLost]) : work),
        onStep: (outcome) => {
          steps++;
          recorder.trainMs += performance.now() - stepStarted;
          // A worker torn down mid-step is dead: like a real crash, it logs nothing more.
          if (this.abandoned) return;
          const step = { ...outcome, time: Date.now() };
          this.post({ type: 'step', runId, attempt, ...step });
          recorder.appendStep({ ...step, runId, attempt });
        },
        onEpoch: async (outcome) => {
          const time = Date.now();
          this.post({ type: 'epoch', runId, attempt, record: outcome.record, time, details: outcome.details });
          await recorder.appendEpoch({ runId, attempt, record: outcome.record, time, details: outcome.details });
          await recorder.saveViews({ epoch: outcome.record.epoch, images: outcome.predictions }, outcome.featureMaps);
          this.postPredictions(outcome.predictions, outcome.record.epoch);
          if (outcome.featureMaps) this.post({ type: 'feature-maps', runId, featureMaps: outcome.featureMaps });
          await recorder.checkpoint(engine, 'epoch');
        },
      });
      if (this.control === 'abandon') return;
      if (this.deviceLostReason !== undefined) return await this.onDeviceLost(run);
      if (end === 'finished') return await this.finish(run);
      if (this.control === 'step') {
        // A teaching step pauses without a checkpoint of its own; the next pause or epoch end writes one.
        this.control = 'pause';
        await recorder.flush();
        return await this.changeStatus('paused');
      }
      return await this.halt(run, this.control === 'stop' ? 'stop' : 'pause');
    } catch (error) {
      return this.onLoopError(run, error);
    }
  }

  /** Turns a lost device, a NaN loss or any other failure of the loop into the right report. */
  private async onLoopError(run: ActiveRun, error: unknown): Promise<void> {
    if (error instanceof DeviceLostError || (await this.deviceLostMeanwhile())) return this.onDeviceLost(run);
    if (error instanceof NonFiniteLossError || error instanceof NonFiniteStateError) return this.onNonFinite(run, error);
    if (error instanceof WebAssembly.RuntimeError) return this.onWasmFailure(run, error);
    const position = run.engine.position();
    this.fail('internal', errorTexts.trainingFailed(messageOf(error)), {
      phase: 'train',
      epoch: position.epoch,
      iteration: position.iteration,
      globalStep: position.globalStep,
      stack: stackOf(error),
    });
    await run.recorder.flush();
    await this.changeStatus('paused', messageOf(error));
  }

  /**
   * Whether the GPU device is lost, or gets lost within a moment: a kernel or a readback in flight can fail (say,
   * "Buffer was unmapped before mapping was resolved") a little before the device's `lost` promise settles.
   */
  private async deviceLostMeanwhile(): Promise<boolean> {
    if (this.deviceLostReason !== undefined) return true;
    if (!this.deviceLost) return false;
    const settled = this.deviceLost.then(
      () => true,
      () => true,
    );
    return Promise.race([settled, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DEVICE_LOSS_GRACE_MS))]);
  }

  // ----- stopping points ----------------------------------------------------------------------------------------

  private async halt(run: ActiveRun, reason: 'pause' | 'stop'): Promise<void> {
    await run.recorder.flush();
    // After a lost device the weights are gone with it: the last checkpoint stays the resume point.
    if (this.deviceLostReason === undefined) await run.recorder.checkpoint(run.engine, reason);
    await this.changeStatus(reason === 'pause' ? 'paused' : 'stopped');
  }

  private async finish(run: ActiveRun): Promise<void> {
    await run.recorder.flush();
    await run.recorder.checkpoint(run.engine, 'done');
    const best = await run.recorder.bestMap50();
    // The status goes first: a page that moves on at `done` (the next run of a queue) sees this run as done.
    await this.changeStatus('done');
    this.post({ type: 'done', runId: run.settings.runId, epochs: run.engine.epochs, best });
  }

  private async onDeviceLost(run: ActiveRun): Promise<void> {
    const cause = errorTexts.deviceLostCause(this.deviceLostReason);
    return this.pauseForFreshWorker(run, 'device-lost', cause, errorTexts.deviceLost(cause));
  }

  /**
   * A trap in WebAssembly (tfjs' wasm heap full at its 4 GB, or an out-of-bounds access) leaves the backend's memory in
   * an unknown state: like a lost device, the run pauses and resumes from its checkpoint in a fresh worker.
   */
  private async onWasmFailure(run: ActiveRun, error: WebAssembly.RuntimeError): Promise<void> {
    const cause = errorTexts.wasmFailureCause(messageOf(error));
    return this.pauseForFreshWorker(run, 'worker-crash', cause, errorTexts.wasmFailure(cause));
  }

  private async pauseForFreshWorker(run: ActiveRun, code: 'device-lost' | 'worker-crash', cause: string, message: string): Promise<void> {
    const runId = run.settings.runId;
    const position = run.engine.position();
    await run.recorder.flush();
    await this.changeStatus('paused', cause);
    // Last: on this error the client drops the worker, since its device or heap cannot come back in it.
    this.post({
      type: 'error',
      runId,
      code,
      message,
      context: { phase: 'train', epoch: position.epoch, iteration: position.iteration, globalStep: position.globalStep },
      offers: [{ kind: 'resume-from-checkpoint', runId }],
    });
  }

  /** A diverged run stops for good; nothing non-finite was saved, so its last checkpoint is a good one. */
  private async onNonFinite(run: ActiveRun, error: NonFiniteLossError | NonFiniteStateError): Promise<void> {
    const runId = run.settings.runId;
    const lastGood = await run.recorder.lastCheckpoint();
    const message = `${error instanceof NonFiniteLossError ? errorTexts.nonFiniteLoss(error) : errorTexts.nonFiniteState(error)} ${errorTexts.lastGoodCheckpoint(lastGood)}`;
    await run.recorder.flush();
    const context: ErrorContext =
      error instanceof NonFiniteLossError
        ? { phase: error.phase === 'val' ? 'validate' : 'train', epoch: error.epoch, iteration: error.iteration, globalStep: error.step, lossTerm: error.term, value: error.value }
        : { phase: 'checkpoint', epoch: error.epoch, globalStep: error.step, detail: error.tensors.join(', ') };
    this.post({ type: 'error', runId, code: 'non-finite-loss', message, context, offers: lastGood ? [{ kind: 'resume-from-checkpoint', runId }] : undefined });
    await this.changeStatus('failed', message);
  }

  // ----- validation and export, between two steps -----------------------------------------------------------------

  private async validateNow(run: ActiveRun): Promise<void> {
    const work = run.engine.validate();
    const outcome = await (this.deviceLost ? Promise.race([work, this.deviceLost]) : work);
    const { epoch, globalStep } = run.engine.position();
    this.post({ type: 'validation', runId: run.settings.runId, epoch, globalStep, values: outcome.values, details: outcome.details });
    await run.recorder.saveViews({ epoch, images: outcome.predictions });
    this.postPredictions(outcome.predictions, epoch);
  }

  private async exportWeights(run: ActiveRun, which: 'ema' | 'raw'): Promise<void> {
    const { settings } = run;
    const bytes = await run.engine.exportWeights(which);
    // The run's name may hold anything a user typed; keep the file name portable.
    const base = (settings.name || settings.runId).replace(/[^\w.-]+/g, '_');
    this.post({ type: 'weights', runId: settings.runId, which, fileName: `${base}-${which}.safetensors`, bytes });
  }

  private postPredictions(images: PredictionImage[], epoch: number): void {
    if (images.length === 0) return;
    this.post({ type: 'predictions', runId: this.runId, epoch, images });
  }

  /** Runs a task between steps when a loop is running, or now when none is; its failure is reported like the loop's. */
  private async atBoundary(run: ActiveRun, task: () => Promise<void>): Promise<void> {
    const guarded = async () => {
      try {
        await task();
      } catch (error) {
        await this.onLoopError(run, error);
      }
    };
    if (this.loop) this.boundaryTasks.push(guarded);
    else await guarded();
  }

  private async runBoundaryTasks(): Promise<void> {
    const tasks = this.boundaryTasks;
    this.boundaryTasks = [];
    for (const task of tasks) await task();
  }

  // ----- events -------------------------------------------------------------------------------------------------

  /** Records the status (and its cause, or none) in the store, then tells the page. */
  private async changeStatus(status: RunStatus, cause?: string): Promise<void> {
    await this.active?.recorder.recordStatus(status, cause);
    this.status = status;
    const position = this.active?.engine.position();
    this.post({ type: 'state', runId: this.runId, status, cause, epoch: position?.epoch, globalStep: position?.globalStep });
  }

  private fail(code: ErrorCode, message: string, context: ErrorContext): void {
    this.post({ type: 'error', runId: this.runId, code, message, context });
  }

  private log(message: string): void {
    this.post({ type: 'log', runId: this.runId, level: 'info', message });
  }

  private post(event: WorkerEvent): void {
    if (this.abandoned) return;
    this.deps.post(event, transferablesOf(event));
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
