/**
 * The experiment settings the page edits and the URL carries. They turn into the worker's `RunSettings` when a run
 * starts (see training/run-settings.ts).
 */
import { LAB_HYP, SCRATCH_HYP } from '../../train/hyp';
import type { BackendChoice } from '../../runtime/backend';
import type { ModelScale } from '../../worker/protocol';

export const SHIPPED_BACKBONES = ['yolov4-csp', 'yolov4-resnet50', 'yolov4-resnext50', 'yolov4-se-resnet50'] as const;
export type ShippedBackbone = (typeof SHIPPED_BACKBONES)[number];
export type BackboneId = ShippedBackbone | 'custom';

export const SCALES: readonly ModelScale[] = ['n', 's', 'm', 'l'];
/** Auto first: WebGPU on a hardware adapter, threaded WebAssembly otherwise (src/runtime/backend.ts). */
export const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface LabSettings {
  backbone: BackboneId;
  scale: ModelScale;
  img: number;
  batch: number;
  epochs: number;
  lr0: number;
  seed: number;
  /** The hyp YAML as edited; empty means the lab preset (public/hyps/lab.yaml). */
  hypYaml: string;
  /** The model YAML when `backbone` is 'custom' (a shipped backbone is identified by name alone). */
  customYaml: string;
  backend: BackendChoice;
  /** AutoAnchor at the start of a run. */
  autoAnchor: boolean;
}

/** The two starting experiments, chosen with one control; each sets these values. */
export type ExperimentId = 'quick' | 'original';
type ExperimentValues = Pick<LabSettings, 'scale' | 'img' | 'batch' | 'epochs' | 'lr0' | 'hypYaml'>;

export const EXPERIMENTS: Readonly<Record<ExperimentId, { label: string; values: ExperimentValues }>> = {
  // Scale n at 128 px with the lab preset: reaches mAP@0.5 0.5 on the bundled set in 20 epochs (README, "Defaults").
  quick: { label: 'Quick (scale n, 128 px, 20 epochs)', values: { scale: 'n', img: 128, batch: 16, epochs: 20, lr0: LAB_HYP.lr0, hypYaml: '' } },
  // The seed's model and recipe: scale l, 640 px, hyp.scratch, 300 epochs; the batch is what the memory estimate allows.
  original: {
    label: 'Original (ScaledYOLOv4: scale l, 640 px)',
    values: { scale: 'l', img: 640, batch: 4, epochs: 300, lr0: SCRATCH_HYP.lr0, hypYaml: 'base: scratch\n' },
  },
};

/** Which starting experiment the settings are, if any ('custom' once a value of it is changed). */
export function experimentOf(settings: LabSettings): ExperimentId | 'custom' {
  const matches = (id: ExperimentId) => Object.entries(EXPERIMENTS[id].values).every(([key, value]) => key === 'batch' || settings[key as keyof LabSettings] === value);
  return matches('quick') ? 'quick' : matches('original') ? 'original' : 'custom';
}

/** The page starts with the Quick experiment on ResNet-50, on the Auto backend. */
export const DEFAULT_SETTINGS: LabSettings = {
  backbone: 'yolov4-resnet50',
  ...EXPERIMENTS.quick.values,
  seed: 0,
  customYaml: '',
  backend: 'auto',
  autoAnchor: true,
};

/** Bounds the form enforces; the image size must be a multiple of the largest stride (32). */
export const LIMITS = {
  img: { min: 32, max: 1280, step: 32 },
  batch: { min: 1, max: 64, step: 1 },
  epochs: { min: 1, max: 1000, step: 1 },
  lr0: { min: 1e-5, max: 1, step: 0.001 },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1 },
} as const;
