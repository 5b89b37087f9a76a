/** Comparing two safetensors weight files value by value (for runs that must end with the same weights). */
import { expect } from 'vitest';
import { decodeSafetensors } from '../../../src/model/safetensors';

/** Every tensor of a safetensors file as numbers (BN's num_batches_tracked is I64). */
export function weightsOf(bytes: ArrayBuffer | Uint8Array): Map<string, number[]> {
  const decoded = decodeSafetensors(new Uint8Array(bytes));
  return new Map(Object.entries(decoded).map(([name, t]) => [name, Array.from(t.data as unknown as ArrayLike<number | bigint>, Number)]));
}

/** The largest absolute difference between two files' values; the same tensor names and sizes are expected. */
export function maxAbsDiff(a: Map<string, number[]>, b: Map<string, number[]>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let max = 0;
  for (const [name, values] of a) {
    const other = b.get(name)!;
    expect(other.length, name).toBe(values.length);
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] - other[i]));
  }
  return max;
}
