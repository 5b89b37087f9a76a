/**
 * The values each hyperparameter may take, so a hyp file with `nbs: 0` or `lr0: 0` is refused when it is read, with
 * the allowed range in the message, instead of turning into NaN a few steps into the run. The bounds are the
 * quantities' meanings (probabilities in [0, 1], gains ≥ 0, lr > 0, counts integers), not the narrower ranges
 * ScaledYOLOv4's hyperparameter evolution searches.
 */
import type { Hyp } from './hyp';

interface Range {
  min: number;
  max: number;
  /** Whether min / max themselves are allowed. */
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
}

const GAIN: Range = { min: 0, max: Infinity };
const PROBABILITY: Range = { min: 0, max: 1 };
const POSITIVE: Range = { min: 0, max: Infinity, minOpen: true };

export const HYP_RANGES: Readonly<Record<keyof Hyp, Range>> = {
  lr0: POSITIVE,
  // lr ends at lr0·lrf: 0 would stop learning, above 1 the cosine would raise the lr.
  lrf: { min: 0, max: 1, minOpen: true },
  momentum: { min: 0, max: 1, maxOpen: true },
  weight_decay: GAIN,
  warmup_epochs: GAIN,
  warmup_momentum: { min: 0, max: 1, maxOpen: true },
  warmup_bias_lr: GAIN,
  warmup_min_iters: { min: 0, max: Infinity, integer: true },
  // Gradients are accumulated over round(nbs / batch) steps, and the weight decay scaled by batch·accumulate/nbs.
  nbs: { min: 1, max: Infinity, integer: true },
  box: GAIN,
  cls: GAIN,
  cls_pw: POSITIVE,
  obj: GAIN,
  obj_pw: POSITIVE,
  iou_t: PROBABILITY,
  // A target matches an anchor when their size ratio is below anchor_t: below 1 nothing could match.
  anchor_t: { min: 1, max: Infinity },
  fl_gamma: GAIN,
  hsv_h: PROBABILITY,
  hsv_s: PROBABILITY,
  hsv_v: PROBABILITY,
  degrees: { min: 0, max: 180 },
  translate: PROBABILITY,
  // The random scale is drawn from [1 - scale, 1 + scale]: 1 could shrink an image to nothing.
  scale: { min: 0, max: 1, maxOpen: true },
  shear: { min: 0, max: 90, maxOpen: true },
  perspective: { min: 0, max: 0.001 },
  flipud: PROBABILITY,
  fliplr: PROBABILITY,
  mosaic: PROBABILITY,
  mixup: PROBABILITY,
};

/** `[0, 1)`, `an integer in [1, ∞)`. */
export function describeRange(range: Range): string {
  const low = `${range.minOpen ? '(' : '['}${range.min}`;
  const high = range.max === Infinity ? '∞)' : `${range.max}${range.maxOpen ? ')' : ']'}`;
  return `${range.integer ? 'an integer in' : 'in'} ${low}, ${high}`;
}

function inRange(value: number, range: Range): boolean {
  if (range.integer && !Number.isInteger(value)) return false;
  const aboveMin = range.minOpen ? value > range.min : value >= range.min;
  const belowMax = range.maxOpen ? value < range.max : value <= range.max;
  return aboveMin && belowMax;
}

/** The problem with one finite hyp value (none or one), naming the key as the file wrote it and the allowed range. */
export function hypRangeProblems(rawKey: string, key: keyof Hyp, value: number): string[] {
  const range = HYP_RANGES[key];
  return inRange(value, range) ? [] : [`'${rawKey}' must be ${describeRange(range)}, got ${value}`];
}
