/**
 * How well anchors fit the labels, as YOLOv5's autoanchor measures it. For a label of size (w, h) and an anchor
 * (aw, ah) the ratio r = min(w/aw, aw/w, h/ah, ah/h) is 1 for a perfect fit; build_targets matches the pair when
 * r > 1/anchor_t. Sizes are in pixels at the run's image size.
 */

/** Label widths and heights: [w0, h0, w1, h1, ...] in pixels. */
export type LabelSizes = Float64Array;

export type AnchorPair = readonly [number, number];

export interface AnchorFit {
  /** Best possible recall: the share of labels that at least one anchor can match. */
  bpr: number;
  /** Anchors above threshold: how many anchors match a label, on average. */
  aat: number;
  /** YOLOv5's anchor_fitness: the mean best ratio, counting only labels above the threshold. */
  fitness: number;
}

/** The worse of the two side ratios of a label and an anchor (1 = same size). */
export function ratio(w: number, h: number, a: AnchorPair): number {
  const rw = w / a[0];
  const rh = h / a[1];
  return Math.min(rw, 1 / rw, rh, 1 / rh);
}

export function anchorFit(sizes: LabelSizes, anchors: readonly AnchorPair[], anchorT: number): AnchorFit {
  const n = sizes.length / 2;
  if (n === 0) return { bpr: 0, aat: 0, fitness: 0 };
  const threshold = 1 / anchorT;
  let recalled = 0;
  let above = 0;
  let fitness = 0;
  for (let i = 0; i < n; i++) {
    const w = sizes[2 * i];
    const h = sizes[2 * i + 1];
    let best = 0;
    for (const a of anchors) {
      const r = ratio(w, h, a);
      if (r > threshold) above++;
      if (r > best) best = r;
    }
    if (best > threshold) {
      recalled++;
      fitness += best;
    }
  }
  return { bpr: recalled / n, aat: above / n, fitness: fitness / n };
}

/**
 * Per label, the best ratio over the anchors and whether it clears 1/anchor_t: the labels no anchor can be matched to
 * in training (build_targets' shape rule), which best possible recall counts out.
 */
export function labelReach(sizes: LabelSizes, anchors: readonly AnchorPair[], anchorT: number): { best: Float64Array; reachable: Uint8Array } {
  const n = sizes.length / 2;
  const best = new Float64Array(n);
  const reachable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const a of anchors) best[i] = Math.max(best[i], ratio(sizes[2 * i], sizes[2 * i + 1], a));
    reachable[i] = best[i] > 1 / anchorT ? 1 : 0;
  }
  return { best, reachable };
}
