/**
 * The page's copy of every run's history: loaded once from IndexedDB, then extended by the worker's events as they
 * arrive (the worker persists them itself). Step appends are batched into at most one React update a second (an
 * epoch's end publishes at once), so a fast run cannot flood rendering: each update redraws the step charts.
 */
import type { EpochRow, RunHistory, StepRow } from '../../store/records';

export type HistoryMap = ReadonlyMap<string, RunHistory>;

export class LiveHistory {
  private histories = new Map<string, RunHistory>();
  private pending = new Map<string, { steps: StepRow[]; epochs: EpochRow[] }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly publish: (histories: HistoryMap) => void,
    private readonly intervalMs = 1000,
  ) {}

  replaceAll(histories: Map<string, RunHistory>): void {
    this.histories = new Map(histories);
    this.pending.clear();
    this.publish(this.histories);
  }

  set(runId: string, history: RunHistory): void {
    this.histories = new Map(this.histories).set(runId, history);
    this.publish(this.histories);
  }

  delete(runId: string): void {
    this.histories = new Map(this.histories);
    this.histories.delete(runId);
    this.pending.delete(runId);
    this.publish(this.histories);
  }

  appendStep(row: StepRow): void {
    this.pendingFor(row.runId).steps.push(row);
    this.schedule();
  }

  appendEpoch(row: EpochRow): void {
    this.pendingFor(row.runId).epochs.push(row);
    this.flush();
  }

  private pendingFor(runId: string): { steps: StepRow[]; epochs: EpochRow[] } {
    let entry = this.pending.get(runId);
    if (!entry) {
      entry = { steps: [], epochs: [] };
      this.pending.set(runId, entry);
    }
    return entry;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const next = new Map(this.histories);
    for (const [runId, added] of this.pending) {
      const current = next.get(runId) ?? { steps: [], epochs: [] };
      // An unchanged list keeps its identity, so the charts of epoch tags skip a render while only steps arrive.
      next.set(runId, {
        steps: added.steps.length ? [...current.steps, ...added.steps] : current.steps,
        epochs: added.epochs.length ? [...current.epochs, ...added.epochs] : current.epochs,
      });
    }
    this.pending.clear();
    this.histories = next;
    this.publish(next);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
