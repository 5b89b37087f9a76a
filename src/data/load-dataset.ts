import { loadCoco } from './coco-format.js';
import { extension } from './paths.js';
import type { Dataset, FileSource } from './types.js';
import { loadYolo } from './yolo-format.js';

export interface LoadOptions {
  /** Force a format; by default a folder with YOLO labels is YOLO, one with only json files is COCO. */
  format?: 'yolo' | 'coco';
  /** COCO: category names to keep (default motorcycle, car, bus, truck). */
  classes?: readonly string[];
  /** Keep images without boxes as background images (default: yes for YOLO, no for COCO). */
  background?: boolean;
}

/** YOLO if the folder has data.yaml, classes.txt or labels/*.txt; otherwise COCO if it has json files. */
export function detectFormat(files: readonly string[]): 'yolo' | 'coco' {
  const yolo = files.some((f) => f === 'data.yaml' || /(^|\/)classes\.txt$/.test(f) || /(^|\/)labels\/.+\.txt$/.test(f));
  if (yolo) return 'yolo';
  return files.some((f) => extension(f) === 'json') ? 'coco' : 'yolo';
}

/** Imports a dataset. Bad input never throws: it is skipped and listed in `problems`. */
export async function loadDataset(source: FileSource, options: LoadOptions = {}): Promise<Dataset> {
  const files = await source.list();
  const format = options.format ?? detectFormat(files);
  return format === 'coco'
    ? loadCoco(source, files, { classes: options.classes, background: options.background })
    : loadYolo(source, files, { background: options.background });
}
