/**
 * The models a benchmark can run: the four YAML models of public/models (built by the model core) and the small
 * "probe" net of ARCHITECTURE.md's measurements (always available).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, isScale } from '../model/index';
import type { DetectionModel } from '../model/types';
import { buildProbeModel } from './probe-model';

export const NC = 4; // motorcycle, car, bus, truck

/** Short names → YAML files under public/models. */
export const YAML_MODELS: Record<string, string> = {
  csp: 'yolov4-csp.yaml',
  resnet50: 'yolov4-resnet50.yaml',
  resnext50: 'yolov4-resnext50.yaml',
  'se-resnet50': 'yolov4-se-resnet50.yaml',
};
export const ALL_MODELS = ['probe', ...Object.keys(YAML_MODELS)];

export interface Subject {
  model: string;
  scale: string;
  yamlPath: string | null;
  build(seed: number): Promise<DetectionModel>;
}

export function expandModels(names: string[]): string[] {
  const out = names.includes('all') ? ALL_MODELS : names;
  for (const name of out) {
    if (!ALL_MODELS.includes(name)) throw new Error(`unknown model '${name}'; choose from ${ALL_MODELS.join(', ')}, all`);
  }
  return out;
}

export function subject(model: string, scale: string, root: string): Subject {
  if (model === 'probe') {
    return { model, scale: '-', yamlPath: null, build: async (seed) => buildProbeModel(NC, seed) };
  }
  if (!isScale(scale)) throw new Error(`unknown scale '${scale}'; choose n, s, m or l`);
  const yamlPath = join(root, 'public', 'models', YAML_MODELS[model]);
  return {
    model,
    scale,
    yamlPath,
    build: async (seed) => buildModel(readFileSync(yamlPath, 'utf8'), { scale, nc: NC, seed }),
  };
}
