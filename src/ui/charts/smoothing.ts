/**
 * TensorBoard's scalar smoothing: an exponential moving average with the start-up bias removed. Without the
 * debiasing an EMA that starts at 0 drags the first points toward zero; dividing by 1 − w^k (k = points seen) fixes
 * that, so the first smoothed point equals the first raw point. Non-finite values pass through unsmoothed, and a
 * constant series is returned unchanged (as TensorBoard does), so rounding cannot make a flat line wobble.
 */
export function debiasedEma(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const first = values[0];
  if (weight === 0 || values.every((value) => value === first)) return values.slice();
  let last = 0;
  let accumulated = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    accumulated += 1;
    return last / (1 - weight ** accumulated);
  });
}
