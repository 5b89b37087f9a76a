import type { AugmentHyp } from './types.js';

/** The seed's class list, in its order (ids 0..3). */
export const VEHICLE_CLASSES: readonly string[] = ['motorcycle', 'car', 'bus', 'truck'];

/** ScaledYOLOv4 yolov4-large ([SL]) data/hyp.scratch.yaml augmentation values; [SL] always mosaics when training. */
export const DEFAULT_AUGMENT_HYP: Readonly<AugmentHyp> = {
  hsv_h: 0.015,
  hsv_s: 0.7,
  hsv_v: 0.4,
  degrees: 0,
  translate: 0.5,
  scale: 0.5,
  shear: 0,
  perspective: 0,
  flipud: 0,
  fliplr: 0.5,
  mosaic: 1,
  mixup: 0,
};

/** The yolov4-csp darknet-cfg line ([SC]/[PM]) hyp.scratch.yaml: translate 0.1, scale 0.9. */
export const SCRATCH_AUGMENT_HYP_SC: Readonly<AugmentHyp> = { ...DEFAULT_AUGMENT_HYP, translate: 0.1, scale: 0.9 };

/** Grey used for padding and the mosaic canvas, as in the original loader. */
export const PAD_VALUE = 114;

/** Boxes closer than this (normalised) to the image border are clipped instead of rejected. */
export const BORDER_TOLERANCE = 1e-3;

/** Image file extensions the importers pick up. */
export const IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'bmp', 'webp'];
