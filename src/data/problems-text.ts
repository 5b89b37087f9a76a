/**
 * The dataset's problems as a few lines, for printing before any decision that depends on what was imported (which
 * splits exist, how many images): a COCO json without `images` must be reported as such, not only as a missing split.
 */
import type { Dataset } from './types.js';

/** '' when there are no problems; else `N data problems:` and the first `max` as `file: problem` lines. */
export function dataProblemsText(dataset: Pick<Dataset, 'problems'>, max = 5): string {
  const { problems } = dataset;
  if (problems.length === 0) return '';
  const lines = problems.slice(0, max).map((p) => `  ${p.file}: ${p.problem}`);
  if (problems.length > max) lines.push(`  … and ${problems.length - max} more`);
  return [`${problems.length} data problem${problems.length === 1 ? '' : 's'}:`, ...lines].join('\n');
}
