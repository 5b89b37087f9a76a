/**
 * "Train all four with these settings": runs wait here and start one after another, each when the previous one
 * ends (done, stopped or failed). Pure bookkeeping; the hook that owns the training client does the starting.
 * It also knows where the queue stands (run 2 of 4), so the status can say so.
 */
import type { RunSettings, RunStatus } from '../../worker/protocol';

const FINISHED: ReadonlySet<RunStatus> = new Set(['done', 'stopped', 'failed']);

export function isFinished(status: RunStatus): boolean {
  return FINISHED.has(status);
}

/** Which run of the queue is active: 1-based position, the queue's length, the active run's id and model file. */
export interface QueuePosition {
  position: number;
  total: number;
  runId: string;
  modelName: string;
}

export class RunQueue {
  private waiting: RunSettings[] = [];
  private active: QueuePosition | undefined;

  get pending(): readonly RunSettings[] {
    return this.waiting;
  }

  /** The active run's place in the queue; undefined outside a queue of two or more. */
  get current(): QueuePosition | undefined {
    return this.active;
  }

  /** Begins a new queue (dropping any old one) and returns its first run, now active. */
  start(runs: readonly RunSettings[]): RunSettings | undefined {
    const [first, ...rest] = runs;
    this.waiting = rest;
    this.active = first && runs.length > 1 ? { position: 1, total: runs.length, runId: first.runId, modelName: first.modelName } : undefined;
    return first;
  }

  enqueue(runs: readonly RunSettings[]): void {
    this.waiting.push(...runs);
  }

  /** The next run to start, if the active run has finished; removes it from the queue and makes it active. */
  next(activeStatus: RunStatus | undefined): RunSettings | undefined {
    if (activeStatus !== undefined && !isFinished(activeStatus)) return undefined;
    const run = this.waiting.shift();
    if (!run) this.active = undefined;
    else if (this.active) this.active = { position: this.active.position + 1, total: this.active.total, runId: run.runId, modelName: run.modelName };
    return run;
  }

  /** Drops the waiting runs; the active one trains on, and its position stays shown until it ends. */
  clear(): void {
    this.waiting = [];
  }
}

/** The status line of a queued run: "Training 2 of 4: ResNeXt-50, epoch 3/20" (epoch omitted before the first step). */
export function queueStatusText(position: QueuePosition, backbone: string, epoch?: { current: number; total: number }): string {
  const head = `Training ${position.position} of ${position.total}: ${backbone}`;
  return epoch ? `${head}, epoch ${epoch.current}/${epoch.total}` : head;
}
