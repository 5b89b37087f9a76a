/** A run's hyperparameters: its hyp YAML over the lab's defaults, then the form's overrides (e.g. lr0). */
import { HYP_KEYS, mergeHyp, parseHyp, type Hyp } from '../train/hyp';
import type { RunSettings } from './settings';

export function resolveHyp(settings: Pick<RunSettings, 'hypYaml' | 'hypOverrides'>): Hyp {
  return mergeHyp(parseHyp(settings.hypYaml).hyp, settings.hypOverrides).hyp;
}

/** The keys whose values differ, as `key: [before, after]`. */
export type HypChange = Record<string, [number, number]>;

export function hypChange(before: Readonly<Hyp>, after: Readonly<Hyp>): HypChange {
  return Object.fromEntries(HYP_KEYS.filter((key) => before[key] !== after[key]).map((key) => [key, [before[key], after[key]]]));
}

/** One line for the user: `lr0 1000000 → 0.01, warmup_epochs 0 → 2`. */
export function describeHypChange(change: HypChange): string {
  const parts = Object.entries(change).map(([key, [before, after]]) => `${key} ${before} → ${after}`);
  return parts.length ? parts.join(', ') : 'no value changed';
}
