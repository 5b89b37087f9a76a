/**
 * What the `train` and `val` CLI commands share: reading a model YAML and a dataset from disk. Node only (fs, path).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLED_VEHICLES_URL, createImageProvider, loadDataset, type Dataset, type ImageProvider } from '../data';
import type { FileSource } from '../data/types';
import { dataProblemsText } from '../data/problems-text';
import type { DataSourceSpec } from '../run/settings';
import { pickValSplit } from '../run/splits';
import { nodeFileSource, nodeImageDecoder } from './node-files';

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

/**
 * The files of a run's data on this machine: a folder, or the page's bundled set (so a run started in the page
 * continues here). Imported Blobs stay in the browser.
 */
export function nodeSourceFor(spec: DataSourceSpec): FileSource {
  if (spec.kind === 'folder') {
    if (!existsSync(spec.path)) throw new Error(`no dataset at '${spec.path}'`);
    return nodeFileSource(spec.path);
  }
  if (spec.kind === 'url' && spec.baseUrl.replace(/^\.?\/+|\/+$/g, '') === BUNDLED_VEHICLES_URL.replace(/^\/+|\/+$/g, '')) {
    return nodeFileSource(BUNDLED_DATA_DIR);
  }
  const where = spec.kind === 'url' ? `the URL ${spec.baseUrl}` : 'files imported in the page';
  throw new Error(`this run reads ${where}, which the CLI cannot open: pass --data <folder>`);
}

export interface NodeValData {
  dataset: Dataset;
  images: ImageProvider;
  valSplit: string;
}

/** A dataset folder for `lab val`: its problems and the split decision are printed, in that order. */
export async function loadNodeValData(data: string): Promise<NodeValData> {
  const source = nodeSourceFor({ kind: 'folder', path: resolveDataPath(data) });
  const dataset = await loadDataset(source);
  const problems = dataProblemsText(dataset);
  if (problems) console.warn(problems);
  const { val, notices } = pickValSplit(dataset);
  for (const line of notices) console.warn(line);
  return { dataset, images: createImageProvider(source, nodeImageDecoder), valSplit: val };
}
