/**
 * "Train all four with these settings": runs wait here and start one after another, each when the previous one
 * ends (done, stopped or failed). Pure bookkeeping; the hook that owns the training client does the starting.
 */
import type { RunSettings, RunStatus } from '../../worker/protocol';

const FINISHED: ReadonlySet<RunStatus> = new Set(['done', 'stopped', 'failed']);

export function isFinished(status: RunStatus): boolean {
  return FINISHED.has(status);
}

export class RunQueue {
  private waiting: RunSettings[] = [];

  get pending(): readonly RunSettings[] {
    return this.waiting;
  }

  enqueue(runs: readonly RunSettings[]): void {
    this.waiting.push(...runs);
  }

  /** The next run to start, if the active run has finished; removes it from the queue. */
  next(activeStatus: RunStatus | undefined): RunSettings | undefined {
    if (activeStatus !== undefined && !isFinished(activeStatus)) return undefined;
    return this.waiting.shift();
  }

  clear(): void {
    this.waiting = [];
  }
}
