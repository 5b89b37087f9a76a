/**
 * The experiment settings the page edits and the URL carries. They turn into the worker's `RunSettings` when a run
 * starts (see training/run-settings.ts).
 */
import type { BackendName, ModelScale } from '../../worker/protocol';

export const SHIPPED_BACKBONES = ['yolov4-csp', 'yolov4-resnet50', 'yolov4-resnext50', 'yolov4-se-resnet50'] as const;
export type ShippedBackbone = (typeof SHIPPED_BACKBONES)[number];
export type BackboneId = ShippedBackbone | 'custom';

export const SCALES: readonly ModelScale[] = ['n', 's', 'm', 'l'];
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface LabSettings {
  backbone: BackboneId;
  scale: ModelScale;
  img: number;
  batch: number;
  epochs: number;
  lr0: number;
  seed: number;
  /** The hyp YAML as edited; empty means the training core's defaults (hyp.scratch of the yolov4-csp line). */
  hypYaml: string;
  /** The model YAML when `backbone` is 'custom' (a shipped backbone is identified by name alone). */
  customYaml: string;
  backend: BackendName;
}

/** Scale l is the seed's model; the image size and batch are browser-sized rather than the seed's 640/16. */
export const DEFAULT_SETTINGS: LabSettings = {
  backbone: 'yolov4-resnet50',
  scale: 'l',
  img: 128,
  batch: 8,
  epochs: 30,
  lr0: 0.01,
  seed: 0,
  hypYaml: '',
  customYaml: '',
  backend: 'webgpu',
};

/** Bounds the form enforces; the image size must be a multiple of the largest stride (32). */
export const LIMITS = {
  img: { min: 32, max: 1280, step: 32 },
  batch: { min: 1, max: 64, step: 1 },
  epochs: { min: 1, max: 1000, step: 1 },
  lr0: { min: 1e-5, max: 1, step: 0.001 },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1 },
} as const;
