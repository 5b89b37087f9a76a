/**
 * Groups summary rows into stages for the side-by-side comparison of backbones: backbone rows by the feature-map
 * stride they reach (stem ÷2, C2 ÷4, C3 ÷8 → P3, C4 ÷16 → P4, C5 ÷32 → P5), then SPPCSP, the PAN neck and Detect.
 * Strides come from the printed constructor arguments, so any YAML in the supported module set works.
 */
import { loadBoundedYaml } from '../../input/bounded-yaml';
import type { SummaryRow } from './summary-types';

export const STAGES = ['Stem (÷2)', 'C2 (÷4)', 'C3 → P3 (÷8)', 'C4 → P4 (÷16)', 'C5 → P5 (÷32)', 'SPPCSP', 'Neck (FPN + PAN)', 'Detect'] as const;
export type Stage = (typeof STAGES)[number];

/** `[3, 64, 7, 2, 3, 1, 1, False]` → numbers (non-numbers become NaN). */
export function parseArgs(args: string): number[] {
  return args
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((part) => Number(part.trim()));
}

/** The stride a backbone row applies, from its printed arguments (seed layout: c1 first for conv-like modules). */
export function rowStride(row: SummaryRow): number {
  const args = parseArgs(row.args);
  const pick = (index: number) => (Number.isFinite(args[index]) && args[index] > 0 ? args[index] : 1);
  switch (row.module) {
    case 'Conv':
    case 'nn.Conv2d':
      return pick(3);
    case 'nn.MaxPool2d':
      return pick(1);
    case 'resLayer':
    case 'seresLayer':
      return pick(3);
    default:
      return 1;
  }
}

/** Rows in the YAML's `backbone:` list (the rest is `head:`); 0 if the text does not parse. */
export function backboneLength(yamlText: string): number {
  try {
    const doc = loadBoundedYaml(yamlText) as { backbone?: unknown } | null;
    return Array.isArray(doc?.backbone) ? doc.backbone.length : 0;
  } catch {
    return 0;
  }
}

function strideStage(stride: number): Stage {
  if (stride <= 2) return STAGES[0];
  if (stride <= 4) return STAGES[1];
  if (stride <= 8) return STAGES[2];
  if (stride <= 16) return STAGES[3];
  return STAGES[4];
}

export function stageOfRows(rows: readonly SummaryRow[], backboneRows: number): Stage[] {
  let stride = 1;
  return rows.map((row) => {
    if (row.module === 'Detect') return 'Detect';
    if (row.module === 'SPPCSP') return 'SPPCSP';
    if (row.i >= backboneRows) return 'Neck (FPN + PAN)';
    stride *= rowStride(row);
    return strideStage(stride);
  });
}

/** Parameters per stage, in STAGES order. */
export function paramsByStage(rows: readonly SummaryRow[], backboneRows: number): Record<Stage, number> {
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  const stages = stageOfRows(rows, backboneRows);
  rows.forEach((row, i) => (totals[stages[i]] += row.params));
  return totals;
}
