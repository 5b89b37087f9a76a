/**
 * Run colours from the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies). Each shipped
 * backbone has a fixed colour, so the four-backbone figure reads the same in every session; other runs (edited
 * YAMLs) take the remaining colours in creation order.
 */
import { BACKBONES } from '../model/backbones';

/** Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black. */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'] as const;

/** Shipped backbone model file → its colour (blue, orange, bluish green, reddish purple: the four most distinct). */
const BACKBONE_COLORS: ReadonlyMap<string, string> = new Map([
  ['yolov4-csp.yaml', '#0072B2'],
  ['yolov4-resnet50.yaml', '#E69F00'],
  ['yolov4-resnext50.yaml', '#009E73'],
  ['yolov4-se-resnet50.yaml', '#CC79A7'],
]);

/** Colours left for runs of other models (yellow last: it is faint on white). */
const OTHER_COLORS = ['#D55E00', '#56B4E9', '#000000', '#F0E442'];

export function backboneColor(modelName: string): string | undefined {
  return BACKBONE_COLORS.get(modelName);
}

/** The colour of a run of `modelName`; `otherIndex` counts the runs of non-shipped models before it. */
export function runColor(modelName: string, otherIndex = 0): string {
  return backboneColor(modelName) ?? OTHER_COLORS[((otherIndex % OTHER_COLORS.length) + OTHER_COLORS.length) % OTHER_COLORS.length];
}

/** Every shipped backbone must have a colour; a new one added to BACKBONES without one is a bug caught here. */
export function backbonesWithoutColor(): string[] {
  return BACKBONES.filter((backbone) => !BACKBONE_COLORS.has(backbone.file)).map((backbone) => backbone.file);
}

/** Colours of a list of runs: shipped backbones by backbone, the others in creation order so each keeps its colour. */
export function runColors(runs: readonly { runId: string; modelName: string; createdAt: number }[]): Map<string, string> {
  const ordered = [...runs].sort((a, b) => a.createdAt - b.createdAt);
  let others = 0;
  return new Map(ordered.map((run) => [run.runId, backboneColor(run.modelName) ?? runColor(run.modelName, others++)]));
}
