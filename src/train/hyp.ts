/**
 * Training hyperparameters with ScaledYOLOv4's hyp.yaml keys, and the two named presets (public/hyps/*.yaml):
 * - `scratch`: the **yolov4-csp line's `data/hyp.scratch.yaml`** ([SC] in shared/reference/yolov4-csp-facts.md),
 *   complete, with train.py's warm-up rule; that line has the `lrf`/`warmup_*`/`box` keys and the x/lr0..2 logging.
 *   The yolov4-large line ([SL]) differs in cls 0.5, obj 1.0, translate 0.5, scale 0.5 and hard-codes lrf/warm-up; a
 *   user can load its hyp file, and its old key `giou` is read as `box`.
 * - `lab` (the default): scratch changed for small images and few classes; docs/training.md lists each change and why.
 *
 * Two lab extensions, both constants in the source's train.py:
 * - `warmup_min_iters`: the source warms up for max(warmup_epochs·nb, 1000) iterations; the 1000 is a hyp value here.
 * - `nbs`: the nominal batch size that gradients are accumulated to (source: 64).
 * ScaledYOLOv4 reads only the keys it knows, so a hyp.yaml written by the lab still loads there.
 */
import { dump } from 'js-yaml';
import { loadBoundedYaml } from '../input/bounded-yaml';
import { clipText, showValue } from '../input/show-value';
import type { AugmentHyp } from '../data/types';
import { hypRangeProblems } from './hyp-ranges';

export interface Hyp extends AugmentHyp {
  /** Initial learning rate (SGD). */
  lr0: number;
  /** Final lr factor of the cosine schedule: lr ends at lr0·lrf. */
  lrf: number;
  /** SGD momentum (nesterov). */
  momentum: number;
  /** Weight decay of the conv weights (group 1), before scaling by batch·accumulate/64. */
  weight_decay: number;
  warmup_epochs: number;
  warmup_momentum: number;
  warmup_bias_lr: number;
  /** Lab extension: the warm-up lasts max(warmup_epochs·nb, warmup_min_iters) iterations (the source: 1000). */
  warmup_min_iters: number;
  /** Lab extension: nominal batch size for gradient accumulation and weight-decay scaling (source: nbs = 64). */
  nbs: number;
  /** Box loss gain (the older key is `giou`). */
  box: number;
  cls: number;
  cls_pw: number;
  obj: number;
  obj_pw: number;
  /** IoU training threshold: unused by the loss (ScaledYOLOv4 comments the IoU assignment out), kept for round trips. */
  iou_t: number;
  /** Anchor-multiple threshold of the shape-ratio assignment rule. */
  anchor_t: number;
  /** Focal loss gamma (0 = plain BCE). */
  fl_gamma: number;
}

/** hyp.scratch.yaml of the yolov4-csp line, and train.py's warm-up rule: max(warmup_epochs·nb, 1000) iterations. */
export const SCRATCH_HYP: Readonly<Hyp> = Object.freeze({
  lr0: 0.01,
  lrf: 0.2,
  momentum: 0.937,
  weight_decay: 0.0005,
  warmup_epochs: 3.0,
  warmup_momentum: 0.8,
  warmup_bias_lr: 0.1,
  warmup_min_iters: 1000,
  nbs: 64,
  box: 0.05,
  cls: 0.3,
  cls_pw: 1.0,
  obj: 0.7,
  obj_pw: 1.0,
  iou_t: 0.2,
  anchor_t: 4.0,
  fl_gamma: 0.0,
  hsv_h: 0.015,
  hsv_s: 0.7,
  hsv_v: 0.4,
  degrees: 0.0,
  translate: 0.1,
  scale: 0.9,
  shear: 0.0,
  perspective: 0.0,
  flipud: 0.0,
  fliplr: 0.5,
  mosaic: 1.0,
  mixup: 0.0,
});

/**
 * The lab preset: what measurably learns at 128 px with 4 classes in 20 epochs (docs/training.md has the numbers).
 * Every change from scratch, and why:
 */
export const LAB_HYP: Readonly<Hyp> = Object.freeze({
  ...SCRATCH_HYP,
  // 3× the seed's lr and a lower final factor: 20 short epochs need to move further, and settle at the end.
  lr0: 0.03,
  lrf: 0.1,
  // Warm-up over 2 epochs, at least 100 iterations: 1000 would be 20 epochs of the bundled set at batch 16.
  warmup_epochs: 2.0,
  warmup_min_iters: 100,
  // No accumulation at batch 16: four times more optimizer steps than nbs 64 in the same time.
  nbs: 16,
  // train.py scales cls by nc/80: 0.3 would be 0.015 at nc=4, and bus and truck would never be told apart.
  cls: 3.0,
  // The yolov4-large line's scale: 0.9 shrinks objects of a 128 px mosaic to a few pixels.
  scale: 0.5,
  // Half the images single and letterboxed, as val sees them, with objects four times a 128 px mosaic's area.
  mosaic: 0.5,
});

export const HYP_PRESETS: Readonly<Record<'scratch' | 'lab', Readonly<Hyp>>> = Object.freeze({ scratch: SCRATCH_HYP, lab: LAB_HYP });
export type HypPreset = keyof typeof HYP_PRESETS;

/** The lab's default (the page's, and `lab train`'s without --hyp): the lab preset. */
export const DEFAULT_HYP: Readonly<Hyp> = LAB_HYP;

export const HYP_KEYS = Object.keys(SCRATCH_HYP) as (keyof Hyp)[];

/** Older ScaledYOLOv4 key names (the yolov4-large line) → the current ones. */
const KEY_ALIASES: Readonly<Record<string, keyof Hyp>> = { giou: 'box' };

export class HypError extends Error {
  constructor(readonly problems: string[]) {
    // The message spells out the first few problems; `problems` keeps them all.
    const more = problems.length > 3 ? `; … and ${problems.length - 3} more` : '';
    super(`invalid hyp: ${problems.slice(0, 3).join('; ')}${more}`);
    this.name = 'HypError';
  }
}

export interface ParsedHyp {
  hyp: Hyp;
  /** Keys that no part of the lab reads (e.g. YOLOv5's `anchors`, `label_smoothing`): ignored, listed here. */
  ignoredKeys: string[];
}

function isHypKey(key: string): key is keyof Hyp {
  return Object.prototype.hasOwnProperty.call(SCRATCH_HYP, key);
}

/**
 * Merges plain key/value overrides onto `base`. Unknown keys are collected (not fatal: a YOLOv5 hyp file still
 * loads); values that are not finite numbers are errors, all listed in one HypError.
 */
export function mergeHyp(base: Readonly<Hyp>, values: Record<string, unknown>): ParsedHyp {
  const hyp: Hyp = { ...base };
  const problems: string[] = [];
  const ignoredKeys: string[] = [];
  const seen = new Map<keyof Hyp, string>();
  for (const [rawKey, value] of Object.entries(values)) {
    const key = Object.hasOwn(KEY_ALIASES, rawKey) ? KEY_ALIASES[rawKey] : rawKey;
    if (!isHypKey(key)) {
      ignoredKeys.push(rawKey);
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push(`'${clipText(rawKey, 40)}' and '${earlier}' both set ${key}`);
    seen.set(key, rawKey);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`'${clipText(rawKey, 40)}' must be a finite number, got ${showValue(value, 60)}`);
      continue;
    }
    problems.push(...hypRangeProblems(rawKey, key, value));
    hyp[key] = value;
  }
  if (problems.length) throw new HypError(problems);
  return { hyp, ignoredKeys };
}

/**
 * Parses a hyp YAML (ScaledYOLOv4 keys) over `base` (the lab preset by default); `base: scratch` (or `lab`) in the
 * file names the preset its missing keys come from. An empty text gives the base.
 */
export function parseHyp(yamlText: string, base: Readonly<Hyp> = DEFAULT_HYP): ParsedHyp {
  if (yamlText.replace(/#.*$/gm, '').trim() === '') return { hyp: { ...base }, ignoredKeys: [] };
  let doc: unknown;
  try {
    doc = loadBoundedYaml(yamlText);
  } catch (err) {
    throw new HypError([`not valid YAML: ${err instanceof Error ? err.message : String(err)}`]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new HypError(['the hyp file must be a mapping of key: number']);
  const { base: preset, ...values } = doc as Record<string, unknown>;
  if (preset === undefined) return mergeHyp(base, values);
  if (typeof preset !== 'string' || !Object.prototype.hasOwnProperty.call(HYP_PRESETS, preset)) {
    throw new HypError([`'base' must name a preset (${Object.keys(HYP_PRESETS).join(' or ')}), got ${showValue(preset, 60)}`]);
  }
  return mergeHyp(HYP_PRESETS[preset as HypPreset], values);
}

/** hyp.yaml as a run writes it: every key, in the order of the presets. */
export function hypToYaml(hyp: Readonly<Hyp>): string {
  const ordered: Record<string, number> = {};
  for (const key of HYP_KEYS) ordered[key] = hyp[key];
  return dump(ordered);
}

/** The augmentation subset the data pipeline takes. */
export function augmentHypOf(hyp: Readonly<Hyp>): AugmentHyp {
  const { hsv_h, hsv_s, hsv_v, degrees, translate, scale, shear, perspective, flipud, fliplr, mosaic, mixup } = hyp;
  return { hsv_h, hsv_s, hsv_v, degrees, translate, scale, shear, perspective, flipud, fliplr, mosaic, mixup };
}
