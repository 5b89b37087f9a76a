/**
 * Display-only downsampling. Stored history is never thinned; a chart just draws at most a few hundred points per
 * series. Min/max bucketing keeps every spike (a loss blow-up must stay visible), which plain striding would drop.
 */
export interface XY {
  x: number;
  y: number;
}

/**
 * Splits the points (sorted by x) into `buckets` equal-count buckets and keeps, from each, its first and last point
 * and its minimum and maximum, in x order. The result holds at most 4·buckets points, all of them input points, and
 * always contains the global extremes and both end points.
 */
export function minMaxBuckets<P extends XY>(points: readonly P[], buckets: number): P[] {
  if (buckets < 1) throw new RangeError('need at least one bucket');
  if (points.length <= buckets * 4) return points.slice();
  const out: P[] = [];
  const size = points.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.floor((b + 1) * size);
    let minIndex = start;
    let maxIndex = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].y < points[minIndex].y) minIndex = i;
      if (points[i].y > points[maxIndex].y) maxIndex = i;
    }
    const keep = [...new Set([start, minIndex, maxIndex, end - 1])].sort((a, b2) => a - b2);
    for (const index of keep) out.push(points[index]);
  }
  return out;
}
