/**
 * PR curves as YOLOv5's plot_pr_curve draws them: one line per class (recall on x, precision on y) labelled with its
 * AP@0.5, and a bold "all classes" line, the mean precision over classes at each recall, labelled with mAP@0.5.
 * Curves are resampled on a shared recall grid so Recharts can draw them from one row array.
 */
import type { ValidationDetails } from '../../worker/protocol';

export const RECALL_GRID = Array.from({ length: 101 }, (_, i) => i / 100);

/** Precision at recall r by linear interpolation over the curve's samples (recall ascending). */
export function precisionAt(recall: readonly number[], precision: readonly number[], r: number): number {
  if (recall.length === 0) return 0;
  if (r <= recall[0]) return precision[0];
  for (let i = 1; i < recall.length; i++) {
    if (r <= recall[i]) {
      const span = recall[i] - recall[i - 1];
      const t = span > 0 ? (r - recall[i - 1]) / span : 1;
      return precision[i - 1] + t * (precision[i] - precision[i - 1]);
    }
  }
  return 0; // past the highest recall reached: no detections there
}

/** AP@0.5 of a class, from the per-class metrics the eval core reports. */
export function ap50Of(details: ValidationDetails, cls: number): number {
  return details.perClass.find((metrics) => metrics.cls === cls)?.ap50 ?? 0;
}

export interface PrRow {
  recall: number;
  all: number;
  [cls: `c${number}`]: number;
}

export function prCurveRows(details: ValidationDetails): { rows: PrRow[]; map50: number } {
  const curves = details.prCurves;
  const rows = RECALL_GRID.map((r) => {
    const row: PrRow = { recall: r, all: 0 };
    let sum = 0;
    for (const curve of curves) {
      const p = precisionAt(curve.recall, curve.precision, r);
      row[`c${curve.cls}`] = p;
      sum += p;
    }
    row.all = curves.length ? sum / curves.length : 0;
    return row;
  });
  const aps = curves.map((curve) => ap50Of(details, curve.cls));
  const map50 = aps.length ? aps.reduce((total, ap) => total + ap, 0) / aps.length : 0;
  return { rows, map50 };
}

/** YOLOv5 normalises each column (true class) to sum to 1; cells under 0.005 are left blank. */
export function normalizeColumns(matrix: readonly (readonly number[])[]): number[][] {
  const size = matrix.length;
  const sums = Array.from({ length: size }, (_, col) => matrix.reduce((sum, row) => sum + (row[col] ?? 0), 0));
  return matrix.map((row) => row.map((value, col) => value / (sums[col] + 1e-9)));
}
