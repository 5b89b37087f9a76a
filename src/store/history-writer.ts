/**
 * Persists a run's step and epoch rows as they arrive, without ever dropping one. Rows queue in memory; each flush
 * writes everything queued in one transaction. If the write fails (quota), the rows stay queued, the failure is
 * reported once per episode, and the next flush retries them all.
 */
import type { EpochRow, StepRow } from './records';
import { isQuotaError } from './quota';

export interface HistorySink {
  appendHistory(runId: string, steps: StepRow[], epochs: EpochRow[]): Promise<void>;
}

export interface HistoryWriterEvents {
  /** A write failed; `quota` tells whether storage is full. Called once until a write succeeds again. */
  onWriteFailed(error: unknown, quota: boolean, pendingRows: number): void;
  /** Writes succeed again after a failure. */
  onRecovered?(): void;
}

export class HistoryWriter {
  private steps: StepRow[] = [];
  private epochs: EpochRow[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly sink: HistorySink,
    private readonly runId: string,
    private readonly events: HistoryWriterEvents,
  ) {}

  get pendingRows(): number {
    return this.steps.length + this.epochs.length;
  }

  /** True while rows are held in memory because storage refused them. */
  get isFailing(): boolean {
    return this.failing;
  }

  appendStep(row: StepRow): Promise<void> {
    this.steps.push(row);
    return this.flush();
  }

  appendEpoch(row: EpochRow): Promise<void> {
    this.epochs.push(row);
    return this.flush();
  }

  /** Writes all queued rows. Flushes are serialised, so rows land in arrival order. Never rejects. */
  flush(): Promise<void> {
    this.inFlight = this.inFlight.then(() => this.writeQueued());
    return this.inFlight;
  }

  private async writeQueued(): Promise<void> {
    if (this.pendingRows === 0) return;
    const steps = this.steps;
    const epochs = this.epochs;
    this.steps = [];
    this.epochs = [];
    try {
      await this.sink.appendHistory(this.runId, steps, epochs);
      if (this.failing) {
        this.failing = false;
        this.events.onRecovered?.();
      }
    } catch (error) {
      // Put the rows back in front of anything queued meanwhile, so order is kept for the retry.
      this.steps = [...steps, ...this.steps];
      this.epochs = [...epochs, ...this.epochs];
      if (!this.failing) {
        this.failing = true;
        this.events.onWriteFailed(error, isQuotaError(error), this.pendingRows);
      }
    }
  }
}
