/** Numeric command-line options, checked when they are read: `--seed abc` is refused instead of becoming NaN. */

export class CliOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliOptionError';
  }
}

/**
 * An integer option in [min, max], or `fallback` when absent. The message names the option, the range and what was
 * given, e.g. `--size must be an integer in [32, 4096], got 'abc'`.
 */
export function integerOption(name: string, value: string | undefined, fallback: number, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    const bounded = min !== -Number.MAX_SAFE_INTEGER || max !== Number.MAX_SAFE_INTEGER;
    const range = bounded ? ` in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]` : '';
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new CliOptionError(`--${name} must be an integer${range}, got '${shown}'`);
  }
  return n;
}

/** `--seed`: any integer, as `lab train` takes it. */
export const seedOption = (value: string | undefined, fallback: number) => integerOption('seed', value, fallback);
