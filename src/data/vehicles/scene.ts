/**
 * One synthetic street scene: a background plus several vehicles, placed far-to-near with bounded overlap and
 * allowed truncation at the image border.
 */
import type { Random } from '../random.js';
import type { Box } from '../types.js';
import { paintBackground } from './background.js';
import { buildVehicle, type VehicleDrawing } from './models.js';
import { Canvas } from './raster.js';

/**
 * Class mix (motorcycle, car, bus, truck): car-heavy like COCO's vehicles (there car 64 %, truck 15 %, motorcycle
 * 13 %, bus 9 % of boxes), softened so every class keeps enough validation boxes for a stable AP.
 */
export const CLASS_WEIGHTS: readonly number[] = [0.15, 0.55, 0.13, 0.17];

/** Objects per image 1..8. */
const COUNT_WEIGHTS = [10, 15, 20, 20, 15, 10, 6, 4];

/** Body length in image fractions: small (P3, ~12–36 px at 320), medium, large (P5). */
const SIZE_TIERS: ReadonlyArray<{ weight: number; lo: number; hi: number }> = [
  { weight: 0.35, lo: 0.04, hi: 0.11 },
  { weight: 0.45, lo: 0.11, hi: 0.34 },
  { weight: 0.2, lo: 0.34, hi: 0.85 },
];

const MIN_VISIBLE = 0.45; // share of a box that must lie inside the image
const MIN_SIDE_PX = 5;
const MAX_OVERLAP = 0.45; // intersection over the smaller box

interface Placed {
  drawing: VehicleDrawing;
  cls: number;
  ground: number;
  clipped: [number, number, number, number];
}

const area = (b: readonly number[]) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);

function overlapRatio(a: readonly number[], b: readonly number[]): number {
  const inter = area([Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
  return inter / Math.max(1e-9, Math.min(area(a), area(b)));
}

function tryPlace(rng: Random, cls: number, size: number, horizon: number, placed: Placed[]): Placed | undefined {
  const tier = SIZE_TIERS[rng.weighted(SIZE_TIERS.map((t) => t.weight))];
  const length = size * rng.uniform(tier.lo, tier.hi);
  // nearer (lower) objects tend to be bigger, as on a real road
  const depth = Math.min(1.15, Math.max(0.05, 0.1 + (0.9 * length) / size + rng.uniform(-0.3, 0.3)));
  const ground = horizon + (size - horizon) * depth;
  const left = rng.uniform(-0.35 * length, size - 0.65 * length);
  const drawing = buildVehicle(cls, { left, ground, length, facingRight: rng.chance(0.5) }, rng);
  const b = drawing.bounds;
  const clipped: [number, number, number, number] = [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(size, b[2]), Math.min(size, b[3])];
  if (area(clipped) < MIN_VISIBLE * area(b)) return undefined;
  if (clipped[2] - clipped[0] < MIN_SIDE_PX || clipped[3] - clipped[1] < MIN_SIDE_PX) return undefined;
  if (placed.some((p) => overlapRatio(p.clipped, clipped) > MAX_OVERLAP)) return undefined;
  return { drawing, cls, ground, clipped };
}

/** A scene's pixels and boxes; with `paint` false only its boxes (the pixels come back empty). */
export function composeScene(rng: Random, size: number, paint = true): { pixels: Uint8Array; boxes: Box[] } {
  const canvas = new Canvas(size, size, paint);
  const horizon = paintBackground(canvas, rng);
  const count = 1 + rng.weighted(COUNT_WEIGHTS);
  const placed: Placed[] = [];
  for (let i = 0; i < count; i++) {
    const cls = rng.weighted(CLASS_WEIGHTS);
    for (let attempt = 0; attempt < 12; attempt++) {
      const p = tryPlace(rng, cls, size, horizon, placed);
      if (p) {
        placed.push(p);
        break;
      }
    }
  }
  placed.sort((a, b) => a.ground - b.ground); // painter's order: far first
  for (const p of placed) for (const part of p.drawing.parts) canvas.fill(part.shape, part.color);
  const boxes = placed.map(({ cls, clipped: [x1, y1, x2, y2] }) => ({
    cls, cx: (x1 + x2) / 2 / size, cy: (y1 + y2) / 2 / size, w: (x2 - x1) / size, h: (y2 - y1) / size,
  }));
  return { pixels: canvas.toBytes(), boxes };
}
