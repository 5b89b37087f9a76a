/**
 * What the Learn tab shows, computed on the page with the same core code the training runs (no tfjs): the training
 * labels' sizes at the run's image size (AutoAnchor's labelSizes), which anchors reach them (labelReach, the recall
 * AutoAnchor reports), the positives build_targets makes for one image (buildLevelTargets), and each level's stride
 * and receptive field.
 */
import type { Dataset, LabeledImage } from '../../data/types';
import { parseModelYaml } from '../../model/plan/parse';
import { receptiveFields } from '../../model/receptive-field';
import type { DataSourceSpec, ModelScale } from '../../run/settings';
import { pickTrainSplits } from '../../run/splits';
import { labelSizes } from '../../train/anchors/autoanchor';
import { labelReach, ratio, type AnchorPair, type LabelSizes } from '../../train/anchors/fitness';
import { buildLevelTargets, type LevelTargets } from '../../train/targets';

/** The experiment a view describes: a model, its data and the settings that matter to anchors and targets. */
export interface LearnSubject {
  modelYaml: string;
  nc: number;
  scale: ModelScale | null;
  img: number;
  seed: number;
  anchorT: number;
  dataset: Dataset;
}

export interface LevelInfo {
  name: string;
  stride: number;
  /** Anchors in pixels. */
  anchors: AnchorPair[];
  /** Theoretical receptive field of the map this level reads, in input pixels. */
  receptiveField: number;
}

export interface ModelLevels {
  levels: LevelInfo[];
}

/** The Detect levels of a model YAML: strides, anchors and receptive fields. */
export function modelLevels(modelYaml: string, nc: number, scale: ModelScale | null): ModelLevels {
  const plan = parseModelYaml(modelYaml, { nc, scale: scale ?? undefined });
  const fields = receptiveFields(plan);
  const inputs = plan.layers[plan.layers.length - 1].inputs;
  return {
    levels: plan.detect.strides.map((stride, i) => ({
      name: `P${Math.round(Math.log2(stride))}`,
      stride,
      anchors: plan.detect.anchors[i].map(([w, h]) => [w, h] as const),
      receptiveField: fields[inputs[i]].size,
    })),
  };
}

/**
 * Whether the dataset shown may not be the one a run trained on: a different source kind, another URL, or another
 * set of imported files (compared by their paths). Undefined when they match.
 */
export function dataMismatch(run: DataSourceSpec, shown: DataSourceSpec): string | undefined {
  const describe = (spec: DataSourceSpec) => (spec.kind === 'url' ? spec.baseUrl : spec.kind === 'folder' ? spec.path : `${spec.files.length} imported files`);
  const paths = (spec: DataSourceSpec) => (spec.kind === 'files' ? spec.files.map((f) => f.path).sort().join('\n') : '');
  const same = run.kind === shown.kind && describe(run) === describe(shown) && paths(run) === paths(shown);
  return same ? undefined : `the run trained on ${describe(run)}; the labels shown are the Data tab's (${describe(shown)})`;
}

/** The images AutoAnchor and training read: the dataset's train split (none when it has no train split). */
export function trainImages(dataset: Dataset): LabeledImage[] {
  try {
    return dataset.splits[pickTrainSplits(dataset).train] ?? [];
  } catch {
    return [];
  }
}

export interface AnchorStudy {
  sizes: LabelSizes;
  reachable: Uint8Array;
  /** Share of labels some anchor reaches: AutoAnchor's best possible recall. */
  bpr: number;
  unreachable: number;
  /** Per label, the level whose anchors fit it best (index into levels). */
  bestLevel: Int32Array;
}

/** The labels at the subject's image size against `levels`' anchors, exactly as AutoAnchor measures them. */
export function anchorStudy(subject: LearnSubject, levels: readonly LevelInfo[]): AnchorStudy {
  const sizes = labelSizes(trainImages(subject.dataset), subject.img, subject.seed);
  const all = levels.flatMap((level) => level.anchors);
  const { reachable } = labelReach(sizes, all, subject.anchorT);
  const n = reachable.length;
  const bestLevel = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    levels.forEach((level, l) => {
      for (const a of level.anchors) {
        const r = ratio(sizes[2 * i], sizes[2 * i + 1], a);
        if (r > best) [best, bestLevel[i]] = [r, l];
      }
    });
  }
  const reached = reachable.reduce((sum, v) => sum + v, 0);
  return { sizes, reachable, bpr: n ? reached / n : 0, unreachable: n - reached, bestLevel };
}

/**
 * One image's boxes as validation letterboxes it (long side = img, centred on a grey square): rows of
 * (0, class, cx, cy, w, h) normalised to the square, the layout build_targets reads.
 */
export function letterboxedTargets(image: LabeledImage, img: number): { targets: Float32Array; ratio: number; padX: number; padY: number; width: number; height: number } {
  const ratio = Math.min(img / image.width, img / image.height);
  const width = Math.max(1, Math.min(img, Math.round(image.width * ratio)));
  const height = Math.max(1, Math.min(img, Math.round(image.height * ratio)));
  const padX = Math.floor((img - width) / 2);
  const padY = Math.floor((img - height) / 2);
  const targets = new Float32Array(image.boxes.length * 6);
  image.boxes.forEach((box, i) => {
    targets.set([0, box.cls, (box.cx * width + padX) / img, (box.cy * height + padY) / img, (box.w * width) / img, (box.h * height) / img], i * 6);
  });
  return { targets, ratio, padX, padY, width, height };
}

/** The positives of one image on every level, as the loss assigns them. */
export function imagePositives(image: LabeledImage, img: number, levels: readonly LevelInfo[], anchorT: number): LevelTargets[] {
  const { targets } = letterboxedTargets(image, img);
  return levels.map((level) => {
    const cells = img / level.stride;
    const anchors = level.anchors.map(([w, h]) => [w / level.stride, h / level.stride] as const);
    return buildLevelTargets(targets, image.boxes.length, { nx: cells, ny: cells, anchors }, anchorT);
  });
}

/** Histogram bins of box size √(w·h) in pixels: powers of two from 2 up to the image size. */
export function sizeBins(img: number): { from: number; to: number; label: string }[] {
  const bins: { from: number; to: number; label: string }[] = [];
  for (let from = 0, to = 2; from < img; from = to, to *= 2) bins.push({ from, to, label: from === 0 ? `< ${to}` : `${from}–${to}` });
  return bins;
}

/** Per size bin, how many labels fit each level best. */
export function sizeHistogram(study: AnchorStudy, levels: readonly LevelInfo[], img: number): { label: string; counts: number[] }[] {
  const bins = sizeBins(img);
  const rows = bins.map((bin) => ({ label: bin.label, counts: levels.map(() => 0) }));
  for (let i = 0; i < study.bestLevel.length; i++) {
    const size = Math.sqrt(study.sizes[2 * i] * study.sizes[2 * i + 1]);
    const found = bins.findIndex((bin) => size < bin.to);
    rows[found === -1 ? bins.length - 1 : found].counts[study.bestLevel[i]]++;
  }
  return rows;
}
