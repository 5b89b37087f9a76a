/**
 * Decodes every image of an imported dataset in full. The import checks headers only (cheap, and enough for the
 * size), so a JPEG whose body is corrupt passes it and fails only when training reads it; `data inspect` calls this
 * to find such images before a run does.
 */
import { clipText } from '../input/show-value.js';
import type { Dataset, FileSource, ImageDecoder, LabeledImage, Problem } from './types.js';

/** The dataset without the images that fail to decode, each reported as `cannot decode image: …`. */
export async function decodeEveryImage(dataset: Dataset, source: FileSource, decode: ImageDecoder): Promise<Dataset> {
  const problems: Problem[] = [];
  const splits: Record<string, LabeledImage[]> = {};
  for (const [split, images] of Object.entries(dataset.splits)) {
    splits[split] = [];
    for (const image of images) {
      try {
        await decode(await source.read(image.file), image.file);
        splits[split].push(image);
      } catch (err) {
        problems.push({ file: image.file, problem: `cannot decode image: ${clipText(err instanceof Error ? err.message : String(err), 200)}` });
      }
    }
  }
  return { ...dataset, splits, problems: [...dataset.problems, ...problems] };
}
