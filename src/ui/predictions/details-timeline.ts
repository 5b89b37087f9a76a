/**
 * The validations of a run an epoch slider steps through: each epoch's PR curves and confusion matrix as stored with
 * its history (the newest attempt of an epoch wins, as in results.csv), then a "Validate now" result if newer.
 */
import type { ValidationDetails } from '../../run/progress';
import type { EpochRow } from '../../store';
import { latestAttemptRows } from '../../store';

export interface DetailsEntry {
  /** "epoch 3" (1-based, as the charts' x axis) or "validated now, after epoch 3". */
  label: string;
  details: ValidationDetails;
}

export function detailsTimeline(epochs: readonly EpochRow[], validatedNow?: { epoch: number; details: ValidationDetails }): DetailsEntry[] {
  const entries: DetailsEntry[] = latestAttemptRows(epochs, (row) => row.record.epoch).flatMap((row) =>
    row.details ? [{ label: `epoch ${row.record.epoch + 1}`, details: row.details }] : [],
  );
  if (validatedNow) entries.push({ label: `validated now, after epoch ${validatedNow.epoch}`, details: validatedNow.details });
  return entries;
}
