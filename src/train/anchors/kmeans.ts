/**
 * k-means on label sizes, seeded: the starting anchors of YOLOv5's kmean_anchors. As there, the sizes are whitened
 * (divided by their standard deviation per axis) before clustering, so width and height weigh the same.
 */
import type { Random } from '../../data/random';
import type { AnchorPair, LabelSizes } from './fitness';

const RESTARTS = 5;
const ITERATIONS = 30;

function squaredDistance(points: Float64Array, i: number, centre: readonly number[]): number {
  const dx = points[2 * i] - centre[0];
  const dy = points[2 * i + 1] - centre[1];
  return dx * dx + dy * dy;
}

/** k-means++ seeding: each new centre drawn with probability proportional to its squared distance. */
function seedCentres(points: Float64Array, k: number, random: Random): number[][] {
  const n = points.length / 2;
  const first = random.int(0, n - 1);
  const centres = [[points[2 * first], points[2 * first + 1]]];
  const nearest = new Float64Array(n).fill(Infinity);
  while (centres.length < k) {
    const last = centres[centres.length - 1];
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], squaredDistance(points, i, last));
    const total = nearest.reduce((a, b) => a + b, 0);
    if (total === 0) break; // fewer distinct points than k
    const pick = random.weighted(Array.from(nearest));
    centres.push([points[2 * pick], points[2 * pick + 1]]);
  }
  return centres;
}

/** Lloyd's iterations from one seeding; returns the centres and their distortion (mean squared distance). */
function lloyd(points: Float64Array, centres: number[][]): { centres: number[][]; distortion: number } {
  const n = points.length / 2;
  const k = centres.length;
  const owner = new Int32Array(n);
  let distortion = Infinity;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(points, i, centres[c]);
        if (d < bestDistance) [best, bestDistance] = [c, d];
      }
      owner[i] = best;
      total += bestDistance;
    }
    const sums = Array.from({ length: k }, () => [0, 0, 0]);
    for (let i = 0; i < n; i++) {
      sums[owner[i]][0] += points[2 * i];
      sums[owner[i]][1] += points[2 * i + 1];
      sums[owner[i]][2]++;
    }
    // An emptied cluster keeps its centre.
    sums.forEach(([x, y, count], c) => count > 0 && (centres[c] = [x / count, y / count]));
    if (total / n >= distortion) break;
    distortion = total / n;
  }
  return { centres, distortion };
}

function standardDeviations(sizes: LabelSizes): [number, number] {
  const n = sizes.length / 2;
  const std = (axis: number) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += sizes[2 * i + axis] / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (sizes[2 * i + axis] - mean) ** 2 / n;
    return Math.sqrt(variance) || 1;
  };
  return [std(0), std(1)];
}

/** `k` anchors clustered from the sizes (in pixels); undefined when there are fewer distinct sizes than k. */
export function kmeansAnchors(sizes: LabelSizes, k: number, random: Random): AnchorPair[] | undefined {
  const [sw, sh] = standardDeviations(sizes);
  const points = new Float64Array(sizes.length);
  for (let i = 0; i < sizes.length; i += 2) [points[i], points[i + 1]] = [sizes[i] / sw, sizes[i + 1] / sh];
  let best: { centres: number[][]; distortion: number } | undefined;
  for (let restart = 0; restart < RESTARTS; restart++) {
    const centres = seedCentres(points, k, random);
    if (centres.length < k) return undefined;
    const result = lloyd(points, centres);
    if (!best || result.distortion < best.distortion) best = result;
  }
  return best?.centres.map(([x, y]) => [x * sw, y * sh] as const);
}
