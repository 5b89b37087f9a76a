/**
 * Y axes that read well at any scale: a padded domain around the drawn values, "nice" round ticks (1, 2, 2.5, 5 ×
 * 10^k), and labels with just enough decimals to tell neighbouring ticks apart, with an SI prefix (µ, m, k, M)
 * for tiny or huge values so a label fits the axis (150µ, not 1.5e-4 or 0.00015). Recharts' automatic domain either
 * hugs the data (unreadable ticks like 0.07948, 0.07948) or jumps to integers for a flat series.
 */

export interface YAxisSpec {
  domain: [number, number];
  ticks: number[];
  format(value: number): string;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = NICE_STEPS.find((candidate) => candidate * power >= raw) ?? 10;
  return step * power;
}

/** Round-numbered ticks covering [min, max] (max > min), about `count` intervals. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const step = niceStep(max - min, count);
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let value = start; value < max + step * (1 - 1e-9); value += step) ticks.push(Number(value.toPrecision(12)));
  if (ticks.length < 2) ticks.push(Number((start + step).toPrecision(12)));
  return ticks;
}

/** Decimals that write every multiple of `step` exactly (0.25 → 2, 0.02 → 2, 5 → 0). */
function decimalsFor(step: number): number {
  let decimals = Math.max(0, -Math.floor(Math.log10(step)));
  while (decimals < 12 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
  return decimals;
}

/** SI prefixes by engineering exponent (a multiple of 3); outside p…G the exponent is written as e±N. */
const SI_PREFIXES: Readonly<Record<number, string>> = { [-12]: 'p', [-9]: 'n', [-6]: 'µ', [-3]: 'm', 3: 'k', 6: 'M', 9: 'G' };

/** The engineering exponent of a value: the multiple of 3 at or below its power of ten (2e-4 → -6, 5e5 → 3). */
export function engineeringExponent(value: number): number {
  return value === 0 ? 0 : Math.floor(Math.floor(Math.log10(Math.abs(value))) / 3) * 3;
}

/** `value` written as mantissa × 10^exponent with an SI prefix: (1.5e-4, -6, 0) → "150µ", (2.5e5, 3, 0) → "250k". */
export function siLabel(value: number, exponent: number, decimals: number): string {
  if (value === 0) return '0';
  const mantissa = (value / 10 ** exponent).toFixed(decimals);
  return `${mantissa}${SI_PREFIXES[exponent] ?? `e${exponent}`}`;
}

function linearFormat(step: number, maxAbs: number): (value: number) => string {
  if (maxAbs !== 0 && (maxAbs >= 1e5 || maxAbs < 1e-3)) {
    // SI prefix at the largest tick's engineering exponent, with enough decimals to write the step (5e-5 at µ → 0).
    const exponent = engineeringExponent(maxAbs);
    const decimals = decimalsFor(step / 10 ** exponent);
    return (value) => siLabel(value, exponent, decimals);
  }
  const decimals = decimalsFor(step);
  return (value) => value.toFixed(decimals);
}

/** A log axis tick (a power of ten or a quarter-decade between): two significant digits, SI prefix when tiny or huge. */
function logFormat(value: number): string {
  const rounded = Number(value.toPrecision(2));
  if (rounded >= 1e-3 && rounded < 1e5) return String(rounded);
  const exponent = engineeringExponent(rounded);
  return siLabel(rounded, exponent, decimalsFor(Number((rounded / 10 ** exponent).toPrecision(2))));
}

/** The axis for the given drawn values (finite ones only); `log` needs positive values. */
export function yAxisFor(values: readonly number[], log: boolean): YAxisSpec {
  const finite = values.filter((value) => Number.isFinite(value) && (!log || value > 0));
  if (finite.length === 0) return { domain: log ? [0.1, 1] : [0, 1], ticks: log ? [0.1, 1] : [0, 0.5, 1], format: (v) => String(v) };
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (log) {
    const lo = Math.floor(Math.log10(min) * 4) / 4;
    const hi = Math.ceil(Math.log10(max) * 4) / 4;
    const exps = niceTicks(lo, hi === lo ? lo + 0.25 : hi, 4);
    const ticks = exps.map((e) => 10 ** e);
    return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, format: logFormat };
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= min === 0 ? 0 : pad;
    max += pad;
  } else {
    const pad = (max - min) * 0.05;
    // Keep a non-negative series (losses, metrics, lrs) from dipping below zero just for the padding.
    min = min >= 0 && min - pad < 0 ? 0 : min - pad;
    max += pad;
  }
  const ticks = niceTicks(min, max, 4);
  const step = ticks[1] - ticks[0];
  return {
    domain: [ticks[0], ticks[ticks.length - 1]],
    ticks,
    format: linearFormat(step, Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]))),
  };
}
