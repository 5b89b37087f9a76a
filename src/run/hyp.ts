/** A run's hyperparameters: its hyp YAML over the lab's defaults, then the form's overrides (e.g. lr0). */
import { mergeHyp, parseHyp, type Hyp } from '../train/hyp';
import type { RunSettings } from './settings';

export function resolveHyp(settings: Pick<RunSettings, 'hypYaml' | 'hypOverrides'>): Hyp {
  return mergeHyp(parseHyp(settings.hypYaml).hyp, settings.hypOverrides).hyp;
}
