/**
 * Which splits of a dataset a run reads: one picker for the worker, `lab train`, `lab val` and `data inspect`.
 * A split is found by its role's name, or a name that starts with it (COCO's `train2017`, `val2017`, `valid`).
 * A run needs a val split; when there is none, `test` serves as val, and the run says so.
 */
import type { Dataset } from '../data/types';

export type SplitRole = 'train' | 'val' | 'test';

export interface TrainSplits {
  train: string;
  val: string;
  /** What the picker decided that the user should know (test serving as val). */
  notices: string[];
}

export interface ValSplit {
  val: string;
  notices: string[];
}

/** The split named `role`, else the first whose name starts with it. */
export function findSplit(dataset: Dataset, role: SplitRole): string | undefined {
  const names = Object.keys(dataset.splits);
  return names.find((name) => name === role) ?? names.find((name) => name.startsWith(role));
}

function listed(dataset: Dataset): string {
  const names = Object.keys(dataset.splits);
  return names.length ? names.join(', ') : 'none';
}

/** The val split, or test in its place (with a notice); an error naming the splits there are when neither exists. */
export function pickValSplit(dataset: Dataset): ValSplit {
  const val = findSplit(dataset, 'val');
  if (val) return { val, notices: [] };
  const test = findSplit(dataset, 'test');
  if (test) return { val: test, notices: [`the data has no val split: its '${test}' split serves as val`] };
  throw new Error(`the data has no val split (nor a test split to use instead); its splits: ${listed(dataset)}`);
}

/** The train split and the val split (or test in its place). */
export function pickTrainSplits(dataset: Dataset): TrainSplits {
  const train = findSplit(dataset, 'train');
  if (!train) throw new Error(`the data has no train split; its splits: ${listed(dataset)}`);
  const { val, notices } = pickValSplit(dataset);
  return { train, val, notices };
}
