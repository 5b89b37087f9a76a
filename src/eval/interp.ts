/**
 * numpy's `interp(x, xp, fp)` for increasing xp (ties allowed): below xp[0] → fp[0], at or above xp[last] → fp[last],
 * otherwise linear between xp[j] and xp[j+1] where j is the LAST index with xp[j] ≤ x. The "last index" rule matters
 * on ties: at a repeated recall value the envelope's lower (later) precision is taken, which is why a perfect
 * detector's AP is 0.995, not 1.
 */
export function interp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const last = xp.length - 1;
  if (x < xp[0]) return fp[0];
  if (x >= xp[last]) return fp[last];
  // Binary search for the last j with xp[j] <= x (j < last here).
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const dx = xp[lo + 1] - xp[lo];
  return fp[lo] + ((fp[lo + 1] - fp[lo]) * (x - xp[lo])) / dx;
}

/** numpy's `linspace(0, 1, n)`: i·step with the last point exactly 1. */
export function unitLinspace(n: number): number[] {
  const step = 1 / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : i * step));
}

/** numpy's `trapz(y, x)`. */
export function trapz(y: readonly number[], x: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}
