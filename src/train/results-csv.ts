/**
 * results.csv in YOLOv5's column order: `epoch`, then the 13 tags of src/train/tags.ts (train losses, metrics,
 * val losses, lrs). YOLOv5 pads its columns with spaces; we write plain CSV, which every reader (pandas, Excel,
 * YOLOv5's plot_results after .strip()) takes alike.
 */
import { EPOCH_TAGS, type EpochRecord } from './tags';

export const RESULTS_COLUMNS = ['epoch', ...EPOCH_TAGS] as const;

/** Shortest text that reads back as the same number. */
const formatValue = (v: number): string => String(v);

export function resultsCsv(history: readonly EpochRecord[]): string {
  const lines = [RESULTS_COLUMNS.join(',')];
  for (const record of history) lines.push(RESULTS_COLUMNS.map((key) => formatValue(record[key])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Parses a results.csv written by resultsCsv (or YOLOv5's padded one) back into records. */
export function parseResultsCsv(text: string): EpochRecord[] {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const keys = header.split(',').map((k) => k.trim());
  const missing = RESULTS_COLUMNS.filter((c) => !keys.includes(c));
  if (missing.length) throw new Error(`results.csv lacks the columns ${missing.join(', ')}`);
  return rows.map((row) => {
    const cells = row.split(',').map((c) => Number(c.trim()));
    const record = {} as EpochRecord;
    for (const column of RESULTS_COLUMNS) record[column] = cells[keys.indexOf(column)];
    return record;
  });
}
