/**
 * AutoAnchor, as YOLOv5 v6's check_anchors / kmean_anchors (which ScaledYOLOv4's train.py also calls): at the start
 * of a run, measure how well the model's anchors fit the training labels at the run's image size; below a best
 * possible recall of 0.98, cluster new anchors (k-means), evolve them (1,000 generations of seeded mutation), and keep
 * them only if they fit better. Anchors are in pixels, level by level in the order of the model's strides.
 */
import { Random } from '../../data/random';
import type { LabeledImage } from '../../data/types';
import { anchorFit, type AnchorPair, type LabelSizes } from './fitness';
import { kmeansAnchors } from './kmeans';

/** Below this best possible recall, new anchors are sought. */
export const BPR_TARGET = 0.98;
/** Labels smaller than this (both sides, in pixels) are left out of the clustering, as YOLOv5 does. */
const MIN_LABEL_PIXELS = 2;
const MUTATION_PROBABILITY = 0.9;
const MUTATION_SIGMA = 0.1;

export interface AutoAnchorInput {
  /** Label sizes in pixels at the run's image size (labelSizes()). */
  sizes: LabelSizes;
  /** The model's anchors in pixels, per level. */
  anchors: readonly (readonly AnchorPair[])[];
  /** The levels' strides, in the same order. */
  strides: readonly number[];
  anchorT: number;
  seed: number;
  /** Evolution generations (YOLOv5: 1,000). */
  generations?: number;
}

export interface AutoAnchorResult {
  /** Best possible recall of the model's anchors, and of the anchors chosen (the same when kept). */
  before: number;
  after: number;
  /** The anchors the run trains with, in pixels, per level. */
  anchors: AnchorPair[][];
  changed: boolean;
  /** One line for the user: the recall before and after, and what was done. */
  message: string;
}

/**
 * Each training label's width and height in pixels once its image is letterboxed to `img` (long side = img). As in
 * check_anchors, each image's size is scaled by a random 0.9–1.1 (seeded), for the scale augmentation.
 */
export function labelSizes(images: readonly LabeledImage[], img: number, seed: number): LabelSizes {
  const random = new Random(seed);
  const sizes: number[] = [];
  for (const image of images) {
    const jitter = random.uniform(0.9, 1.1);
    const s = (img / Math.max(image.width, image.height)) * jitter;
    for (const box of image.boxes) sizes.push(box.w * image.width * s, box.h * image.height * s);
  }
  return Float64Array.from(sizes);
}

const round = (v: number) => Math.round(v * 10) / 10;
const describe = (levels: readonly (readonly AnchorPair[])[]) => levels.map((l) => l.map(([w, h]) => `${round(w)}×${round(h)}`).join(' ')).join(' | ');

/** Evolves anchors by seeded multiplicative mutation; keeps each mutation that raises the fitness. */
function evolve(sizes: LabelSizes, start: AnchorPair[], anchorT: number, generations: number, random: Random): AnchorPair[] {
  let best = start;
  let bestFitness = anchorFit(sizes, best, anchorT).fitness;
  for (let g = 0; g < generations; g++) {
    let factors: number[];
    do {
      // One step size per generation, a normal draw per value (kmean_anchors' v).
      const step = random.next() * MUTATION_SIGMA;
      factors = best.flatMap(() => [0, 0]).map(() =>
        random.next() < MUTATION_PROBABILITY ? Math.min(3, Math.max(0.3, step * random.gaussian() + 1)) : 1,
      );
    } while (factors.every((f) => f === 1));
    const candidate = best.map(([w, h], i) => [Math.max(MIN_LABEL_PIXELS, w * factors[2 * i]), Math.max(MIN_LABEL_PIXELS, h * factors[2 * i + 1])] as const);
    const fitness = anchorFit(sizes, candidate, anchorT).fitness;
    if (fitness > bestFitness) [best, bestFitness] = [candidate, fitness];
  }
  return best;
}

/** Sorts anchors by area and deals them onto the levels, smallest to the finest stride. */
function ontoLevels(anchors: AnchorPair[], strides: readonly number[], perLevel: number): AnchorPair[][] {
  const byArea = [...anchors].sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  const rank = strides.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  const levels: AnchorPair[][] = strides.map(() => []);
  rank.forEach(({ i }, r) => (levels[i] = byArea.slice(r * perLevel, (r + 1) * perLevel)));
  return levels;
}

export function autoAnchor(input: AutoAnchorInput): AutoAnchorResult {
  const { sizes, anchors, strides, anchorT } = input;
  const current = anchors.map((level) => level.map(([w, h]) => [w, h] as const));
  const keep = (before: number, why: string): AutoAnchorResult => ({ before, after: before, anchors: current, changed: false, message: `AutoAnchor: ${why}; keeping the YAML's anchors (${describe(current)})` });

  const labels = sizes.length / 2;
  if (labels === 0) return keep(0, 'the training data has no labels');
  const before = anchorFit(sizes, current.flat(), anchorT).bpr;
  if (before >= BPR_TARGET) return keep(before, `best possible recall ${before.toFixed(4)} ≥ ${BPR_TARGET}`);

  const kept: number[] = [];
  for (let i = 0; i < labels; i++) if (sizes[2 * i] >= MIN_LABEL_PIXELS || sizes[2 * i + 1] >= MIN_LABEL_PIXELS) kept.push(sizes[2 * i], sizes[2 * i + 1]);
  if (kept.length === 0) return keep(before, `all ${labels} labels are under ${MIN_LABEL_PIXELS} pixels at this image size`);
  const usable = Float64Array.from(kept);

  const random = new Random(input.seed);
  const count = current.flat().length;
  const start = kmeansAnchors(usable, count, random) ?? Array.from({ length: count }, () => [random.uniform(MIN_LABEL_PIXELS, 64), random.uniform(MIN_LABEL_PIXELS, 64)] as const);
  const evolved = evolve(usable, start, anchorT, input.generations ?? 1000, random);
  const after = anchorFit(sizes, evolved, anchorT).bpr;
  if (!(after > before)) return keep(before, `best possible recall ${before.toFixed(4)}; new anchors reach only ${after.toFixed(4)}`);
  const levels = ontoLevels(evolved, strides, current[0].length);
  return {
    before,
    after,
    anchors: levels,
    changed: true,
    message: `AutoAnchor: best possible recall ${before.toFixed(4)} → ${after.toFixed(4)} with new anchors (${describe(levels)})`,
  };
}
