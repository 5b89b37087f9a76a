/**
 * One chart's display data: for every visible run, x by the chosen axis, the smoothed series over the complete
 * stored history, then min/max downsampling of what is drawn. Recharts wants one row array, so runs are merged by x
 * into rows with a `raw:<runId>` and a `smooth:<runId>` column each.
 */
import { minMaxBuckets } from './downsample';
import { debiasedEma } from './smoothing';
import { xOf, type SeriesPoint, type XAxisMode } from './series';

export interface ChartRunInput {
  runId: string;
  points: readonly SeriesPoint[];
  startTime: number;
}

export interface DisplayPoint {
  x: number;
  y: number;
  smoothed: number;
}

export interface ChartRow {
  x: number;
  [column: string]: number | undefined;
}

export interface ChartData {
  rows: ChartRow[];
  /** Per run, the drawn points in x order (the tooltip looks values up here). */
  byRun: Map<string, DisplayPoint[]>;
}

export interface ChartOptions {
  mode: XAxisMode;
  smoothing: number;
  logY: boolean;
  /** Bucket count per series: at most 4 points per bucket are drawn. */
  buckets: number;
}

export const rawKey = (runId: string): string => `raw:${runId}`;
export const smoothKey = (runId: string): string => `smooth:${runId}`;

export function buildChartData(runs: readonly ChartRunInput[], options: ChartOptions): ChartData {
  const byRun = new Map<string, DisplayPoint[]>();
  const rowsByX = new Map<number, ChartRow>();
  for (const run of runs) {
    // A log axis cannot show values ≤ 0 (validation logs 0 before its first pass): leave them out there.
    const usable = options.logY ? run.points.filter((point) => point.value > 0) : run.points;
    const smoothed = debiasedEma(
      usable.map((point) => point.value),
      options.smoothing,
    );
    const full: DisplayPoint[] = usable.map((point, i) => ({
      x: xOf(point, options.mode, run.startTime),
      y: point.value,
      smoothed: smoothed[i],
    }));
    const shown = minMaxBuckets(full, options.buckets);
    byRun.set(run.runId, shown);
    for (const point of shown) {
      const row = rowsByX.get(point.x) ?? { x: point.x };
      row[rawKey(run.runId)] = point.y;
      row[smoothKey(run.runId)] = point.smoothed;
      rowsByX.set(point.x, row);
    }
  }
  const rows = [...rowsByX.values()].sort((a, b) => a.x - b.x);
  return { rows, byRun };
}

/** The run's drawn point nearest to x (for a tooltip that shows every run at one x). */
export function nearestPoint(points: readonly DisplayPoint[], x: number): DisplayPoint | undefined {
  if (points.length === 0) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[lo].x - x) <= Math.abs(points[hi].x - x) ? points[lo] : points[hi];
}
