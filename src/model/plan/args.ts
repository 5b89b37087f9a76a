/** Typed readers for YAML row arguments. Each returns the value or throws RowProblem naming the argument. */
import { clipText, showValue } from '../../input/show-value';

/** A problem in one row; `arg` is the index into the row's args list, when one argument is at fault. */
export class RowProblem extends Error {
  constructor(
    message: string,
    readonly arg?: number,
    readonly field?: 'from' | 'number' | 'module' | 'args',
  ) {
    super(message);
  }
}

export type ArgReader<T> = (value: unknown) => T | { error: string };

const isError = (v: unknown): v is { error: string } =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'string';

export function readArg<T>(args: readonly unknown[], index: number, name: string, reader: ArgReader<T>, fallback?: T): T {
  if (index >= args.length) {
    if (fallback === undefined) throw new RowProblem(`missing argument ${index + 1} (${name})`);
    return fallback;
  }
  const result = reader(args[index]);
  if (isError(result)) throw new RowProblem(`argument ${index + 1} (${name}) ${result.error}`, index);
  return result;
}

export function expectArgCount(args: readonly unknown[], min: number, max: number, signature: string): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new RowProblem(`takes ${wanted} argument${max === 1 ? '' : 's'} ${signature}, got ${args.length}`, undefined, 'args');
  }
}

/** YAML has no None; the seed writes Python's `None`, which js-yaml reads as a string. */
export const isNone = (value: unknown): boolean => value === null || value === 'None';

export const posInt: ArgReader<number> = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : { error: `must be a positive integer, got ${show(v)}` };

export const nonNegInt: ArgReader<number> = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : { error: `must be a non-negative integer, got ${show(v)}` };

export const bool: ArgReader<boolean> = (v) => (typeof v === 'boolean' ? v : { error: `must be True or False, got ${show(v)}` });

export const positiveNumber: ArgReader<number> = (v) =>
  typeof v === 'number' && v > 0 && Number.isFinite(v) ? v : { error: `must be a positive number, got ${show(v)}` };

export const noneOr =
  <T>(reader: ArgReader<T>): ArgReader<T | null> =>
  (v) =>
    isNone(v) ? null : reader(v);

export const exactly =
  <T>(expected: T, hint: string): ArgReader<T> =>
  (v) =>
    v === expected ? expected : { error: `${hint}, got ${show(v)}` };

export const posIntList: ArgReader<number[]> = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((x) => posInt(x) === x)
    ? (v as number[])
    : { error: `must be a list of positive integers, got ${show(v)}` };

/** A value for a message: short however large the (alias-expanded) value is. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${clipText(value, 60)}'`;
  return showValue(value, 60);
}
