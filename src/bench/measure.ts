/** Timing helpers: medians of awaited (hence synchronised) repetitions. */

export const now = (): number => performance.now();

export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` warmup times untimed, then `reps` times timed; each run must resolve only once its results are read. */
export async function medianMs(fn: () => Promise<unknown>, warmup: number, reps: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    await fn();
    times.push(now() - t0);
  }
  return median(times);
}
