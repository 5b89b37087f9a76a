/**
 * results.csv for a stored run. A resumed run may have logged an epoch twice (once before a crash, once after);
 * the table takes each epoch's latest attempt, as the run's own curve does.
 */
import type { EpochRecord } from '../train/tags';
import { resultsCsv } from '../train/results-csv';
import type { EpochRow } from './records';

/** The newest attempt's row for each key (a step or an epoch), ordered by key. */
export function latestAttemptRows<R extends { attempt: number }>(rows: readonly R[], key: (row: R) => number): R[] {
  const byKey = new Map<number, R>();
  for (const row of rows) {
    const seen = byKey.get(key(row));
    if (!seen || row.attempt >= seen.attempt) byKey.set(key(row), row);
  }
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** One record per epoch, the latest attempt winning, in epoch order. */
export function latestEpochRecords(rows: readonly EpochRow[]): EpochRecord[] {
  return latestAttemptRows(rows, (row) => row.record.epoch).map((row) => row.record);
}

export function resultsCsvOf(rows: readonly EpochRow[]): string {
  return resultsCsv(latestEpochRecords(rows));
}
