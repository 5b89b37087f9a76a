import type { Dataset, Problem } from './types.js';

export interface SplitSummary {
  images: number;
  /** Box count per class name. */
  boxes: Record<string, number>;
  /** Images without boxes (included in `images`). */
  background: number;
}

/** The json form of `lab data inspect`. */
export interface DatasetSummary {
  format: string;
  names: string[];
  splits: Record<string, SplitSummary>;
  problems: Problem[];
}

export function summarizeDataset(dataset: Dataset): DatasetSummary {
  const splits: Record<string, SplitSummary> = {};
  for (const [name, images] of Object.entries(dataset.splits)) {
    const boxes: Record<string, number> = Object.fromEntries(dataset.names.map((n) => [n, 0]));
    let background = 0;
    for (const im of images) {
      if (im.boxes.length === 0) background++;
      for (const b of im.boxes) boxes[dataset.names[b.cls]] += 1;
    }
    splits[name] = { images: images.length, boxes, background };
  }
  return { format: dataset.format, names: dataset.names, splits, problems: dataset.problems };
}
