/**
 * Turns a run's stored history into one series per tag. Tags that move every step (the running train losses and the
 * three lrs) come from the step rows, so the charts move live; the others come from the epoch records, at the
 * epoch's index as TensorBoard logs them. When a run resumed, the newest attempt's row wins for each step or epoch.
 */
import { STEP_TAGS, type EpochTag } from '../../train/tags';
import type { EpochRow, RunHistory, StepRow } from '../../store/records';
import { latestAttemptRows } from '../../store/results';

export type XAxisMode = 'step' | 'epoch' | 'relative';

export interface SeriesPoint {
  /** Optimizer steps so far (global). */
  step: number;
  /** Fractional epochs for step rows, the epoch index for epoch rows. */
  epoch: number;
  /** Wall clock, ms since 1970. */
  time: number;
  value: number;
}

const STEP_TAG_SET = new Set<string>(STEP_TAGS);

export function isStepTag(tag: EpochTag): tag is (typeof STEP_TAGS)[number] {
  return STEP_TAG_SET.has(tag);
}

export function dedupeSteps(steps: readonly StepRow[]): StepRow[] {
  return latestAttemptRows(steps, (row) => row.globalStep);
}

export function dedupeEpochs(epochs: readonly EpochRow[]): EpochRow[] {
  return latestAttemptRows(epochs, (row) => row.record.epoch);
}

/** The global step at which each epoch ended, from the step rows (or estimated from the iterations per epoch). */
function epochEndSteps(steps: readonly StepRow[]): (epoch: number) => number {
  const ends = new Map<number, number>();
  let itersPerEpoch = 0;
  for (const row of steps) {
    ends.set(row.epoch, Math.max(ends.get(row.epoch) ?? 0, row.globalStep));
    itersPerEpoch = row.itersPerEpoch;
  }
  return (epoch) => ends.get(epoch) ?? (epoch + 1) * itersPerEpoch;
}

export interface RunSeries {
  /** Tag → points in x order (for every x mode: step, epoch and time all grow together). */
  byTag: Map<EpochTag, SeriesPoint[]>;
  /** Time of the run's first logged point, for the relative-time axis. */
  startTime: number;
}

export function buildRunSeries(history: RunHistory, tags: readonly EpochTag[], fallbackStart: number): RunSeries {
  const steps = dedupeSteps(history.steps);
  const epochs = dedupeEpochs(history.epochs);
  const endStep = epochEndSteps(steps);
  const byTag = new Map<EpochTag, SeriesPoint[]>();
  for (const tag of tags) {
    const points: SeriesPoint[] = isStepTag(tag)
      ? steps.map((row) => stepPoint(row, tag))
      : epochs.map((row) => ({ step: endStep(row.record.epoch), epoch: row.record.epoch, time: row.time, value: row.record[tag] }));
    byTag.set(tag, points);
  }
  const firstTimes = [steps[0]?.time, epochs[0]?.time].filter((time): time is number => time !== undefined);
  const firstStep = steps[0];
  // The first step ends one step after training began; estimate that start from the step rate if possible.
  const startTime = firstTimes.length ? Math.min(...firstTimes) - (firstStep ? stepDuration(steps) : 0) : fallbackStart;
  return { byTag, startTime };
}

function stepDuration(steps: readonly StepRow[]): number {
  if (steps.length < 2) return 0;
  return (steps[steps.length - 1].time - steps[0].time) / (steps.length - 1);
}

export function xOf(point: SeriesPoint, mode: XAxisMode, startTime: number): number {
  if (mode === 'step') return point.step;
  if (mode === 'epoch') return point.epoch;
  return (point.time - startTime) / 1000;
}

/**
 * A run's series kept up to date as its history grows: while steps are only appended (a live run), the step tags'
 * points are extended rather than rebuilt, and the epoch tags' arrays keep their identity until an epoch arrives, so
 * memoised charts of those tags do not render again. Anything else (a resumed attempt's rows, a reload) rebuilds.
 */
export class RunSeriesCache {
  private last: { history: RunHistory; series: RunSeries } | undefined;

  constructor(
    private readonly tags: readonly EpochTag[],
    private readonly fallbackStart: number,
  ) {}

  get(history: RunHistory): RunSeries {
    const last = this.last;
    if (last?.history === history) return last.series;
    const series = last && canExtend(last.history, history) ? this.extend(last, history) : buildRunSeries(history, this.tags, this.fallbackStart);
    this.last = { history, series };
    return series;
  }

  private extend(last: { history: RunHistory; series: RunSeries }, history: RunHistory): RunSeries {
    const added = history.steps.slice(last.history.steps.length);
    const byTag = new Map(last.series.byTag);
    for (const tag of this.tags) {
      if (!isStepTag(tag)) continue;
      byTag.set(tag, [...(byTag.get(tag) ?? []), ...added.map((row) => stepPoint(row, tag))]);
    }
    const startTime = last.history.steps.length ? last.series.startTime : buildRunSeries(history, [], this.fallbackStart).startTime;
    return { byTag, startTime };
  }
}

/**
 * Only steps appended, each after the last one of the same or a later attempt, all in epochs after the logged ones
 * (whose end steps the epoch tags' x depends on): the live case.
 */
function canExtend(before: RunHistory, after: RunHistory): boolean {
  if (after.epochs !== before.epochs) return false;
  const n = before.steps.length;
  if (after.steps.length < n || (n > 0 && after.steps[n - 1] !== before.steps[n - 1])) return false;
  const lastEpoch = Math.max(-1, ...after.epochs.map((row) => row.record.epoch));
  let previous = before.steps[n - 1];
  for (let i = n; i < after.steps.length; i++) {
    const row = after.steps[i];
    if (row.epoch <= lastEpoch) return false;
    if (previous && (row.globalStep <= previous.globalStep || row.attempt < previous.attempt)) return false;
    previous = row;
  }
  return true;
}

function stepPoint(row: StepRow, tag: (typeof STEP_TAGS)[number]): SeriesPoint {
  return { step: row.globalStep, epoch: row.epoch + (row.iteration + 1) / Math.max(1, row.itersPerEpoch), time: row.time, value: row.values[tag] };
}
