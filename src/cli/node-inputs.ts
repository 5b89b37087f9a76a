/**
 * What the `train` and `val` CLI commands share: reading a model YAML and a dataset from disk and making batch
 * loaders. Node only (fs, path).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBatchLoader, createImageProvider, loadDataset, type BatchLoader, type Dataset, type ImageProvider } from '../data';
import { nodeFileSource, nodeImageDecoder } from './node-files';
import type { AugmentHyp } from '../data/types';

/** The bundled synthetic vehicle set (`--data vehicles`). */
export const BUNDLED_DATA_DIR = 'public/data/vehicles';
export const MODELS_DIR = 'public/models';

/** A YAML path, or the name of a shipped model (`yolov4-resnet50` → public/models/yolov4-resnet50.yaml). */
export function resolveModelPath(model: string): string {
  if (existsSync(model)) return model;
  const shipped = join(MODELS_DIR, model.endsWith('.yaml') ? model : `${model}.yaml`);
  if (existsSync(shipped)) return shipped;
  throw new Error(`no model YAML at '${model}' (nor ${shipped})`);
}

export async function readModelYaml(model: string): Promise<{ path: string; text: string }> {
  const path = resolveModelPath(model);
  return { path, text: await readFile(path, 'utf8') };
}

export function resolveDataPath(data: string): string {
  return data === 'vehicles' ? BUNDLED_DATA_DIR : data;
}

export interface NodeDataset {
  root: string;
  dataset: Dataset;
  images: ImageProvider;
  trainSplit: string;
  valSplit: string;
}

/** The first split named like `name` (train/train2017, val/val2017/valid). */
function pickSplit(dataset: Dataset, names: string[]): string | undefined {
  const splits = Object.keys(dataset.splits);
  return names.map((n) => splits.find((s) => s === n || s.startsWith(n))).find((s) => s !== undefined);
}

export async function loadNodeDataset(data: string): Promise<NodeDataset> {
  const root = resolveDataPath(data);
  if (!existsSync(root)) throw new Error(`no dataset at '${root}'`);
  const source = nodeFileSource(root);
  const dataset = await loadDataset(source);
  const trainSplit = pickSplit(dataset, ['train']);
  const valSplit = pickSplit(dataset, ['val', 'test']);
  if (!trainSplit || !valSplit) {
    throw new Error(`dataset at '${root}' needs train and val splits (has: ${Object.keys(dataset.splits).join(', ') || 'none'})`);
  }
  for (const p of dataset.problems.slice(0, 5)) console.warn(`data: ${p.file}: ${p.problem}`);
  if (dataset.problems.length > 5) console.warn(`data: … and ${dataset.problems.length - 5} more problems`);
  return { root, dataset, images: createImageProvider(source, nodeImageDecoder), trainSplit, valSplit };
}

export interface LoaderSettings {
  img: number;
  batch: number;
  seed: number;
  hyp: AugmentHyp;
}

/** The train loader (mosaic, warp, HSV, flips, shuffled per epoch) and the letterboxed val loader. */
export function makeLoaders(data: NodeDataset, s: LoaderSettings): { train: BatchLoader; val: BatchLoader } {
  const common = { dataset: data.dataset, images: data.images, img: s.img, seed: s.seed };
  return {
    train: createBatchLoader({ ...common, split: data.trainSplit, batch: s.batch, augment: true, hyp: s.hyp, shuffle: true }),
    val: createBatchLoader({ ...common, split: data.valSplit, batch: s.batch, augment: false, shuffle: false }),
  };
}
