/**
 * A tiny but real run, shared by the Node tests (harness.ts) and the Chromium fixture (tests/e2e/fixtures/worker):
 * a YAML model of the zoo's format (plain Conv rows to strides 8/16/32 and a Detect head, ~12k parameters) and
 * hyperparameters under which a single fixed batch shows its loss falling within a dozen steps.
 */
import type { RunSettings } from '../../../src/worker/protocol';

/** A model YAML of the zoo's format (nc 4, multiples 1.0, the yolov4 anchors) with the given backbone and head rows. */
export function yamlWithRows(backbone: string, head: string): string {
  return `
nc: 4
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [12,16, 19,36, 40,28]
  - [36,75, 76,55, 72,146]
  - [142,110, 192,243, 459,401]
backbone:
  [${backbone}]
head:
  [${head}]
`;
}

export const TINY_YAML = yamlWithRows(
  `[-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [16, 3, 2]], [-1, 1, Conv, [16, 3, 2]], [-1, 1, Conv, [16, 3, 2]]`,
  `[[2, 3, 4], 1, Detect, [nc, anchors]]`,
);

/**
 * No augmentation, a one-iteration warm-up and no gradient accumulation (nbs = batch), so that with one batch per
 * epoch every step trains on the same images and updates the weights: the loss can only fall by learning.
 */
export function fixedBatchHyp(batch: number): Record<string, number> {
  return { ...FIXED_BATCH_AUGMENT_OFF, nbs: batch };
}

const FIXED_BATCH_AUGMENT_OFF: Record<string, number> = {
  mosaic: 0,
  hsv_h: 0,
  hsv_s: 0,
  hsv_v: 0,
  fliplr: 0,
  translate: 0,
  scale: 0,
  warmup_epochs: 1,
  warmup_min_iters: 1,
  lr0: 0.3,
};

export function tinySettings(runId: string, overrides: Partial<RunSettings> = {}): RunSettings {
  return {
    runId,
    name: runId,
    modelYaml: TINY_YAML,
    modelName: 'tiny.yaml',
    scale: 'l',
    nc: 4,
    classNames: ['motorcycle', 'car', 'bus', 'truck'],
    data: { kind: 'url', baseUrl: 'data/vehicles/' },
    hypYaml: '',
    hypOverrides: {},
    img: 32,
    batch: 2,
    epochs: 3,
    seed: 7,
    backend: 'cpu',
    ...overrides,
  };
}

/** Total train loss of a step or epoch record. */
export function totalLoss(values: Record<'train/box_loss' | 'train/obj_loss' | 'train/cls_loss', number>): number {
  return values['train/box_loss'] + values['train/obj_loss'] + values['train/cls_loss'];
}
