/** Named model scales and the width/depth rules of ScaledYOLOv4's parse_model. Pure: no tensors. */

export type Scale = 'n' | 's' | 'm' | 'l';

/** (depth_multiple, width_multiple) per named scale; `l` is the seed's full-size model. */
export const SCALES: Readonly<Record<Scale, { depth: number; width: number }>> = {
  n: { depth: 0.33, width: 0.25 },
  s: { depth: 0.33, width: 0.5 },
  m: { depth: 0.67, width: 0.75 },
  l: { depth: 1.0, width: 1.0 },
};

export interface BuildOptions {
  /** Overrides the YAML's `nc` (as train.py does with the dataset's class count). */
  nc?: number;
  /** Overrides the YAML's depth_multiple/width_multiple with a named scale. */
  scale?: Scale;
  /** Seed for the initial weights, so two builds can start identical. Random when absent. */
  seed?: number;
}

export function isScale(value: string): value is Scale {
  return value === 'n' || value === 's' || value === 'm' || value === 'l';
}

/** Smallest multiple of `divisor` that is ≥ x (ScaledYOLOv4's make_divisible). */
export function makeDivisible(x: number, divisor = 8): number {
  return Math.ceil(x / divisor) * divisor;
}

/** Python's round(): halves go to the even neighbour. */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Repeat count after depth scaling: max(round(n·depth), 1) when n > 1, else n. */
export function scaleDepth(n: number, depth: number): number {
  return n > 1 ? Math.max(pythonRound(n * depth), 1) : n;
}
