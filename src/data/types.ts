/**
 * Shared data types of the lab's data pipeline. Pure types: no DOM, no `node:`; the browser worker, the CLI and the
 * trainer all see the same shapes.
 */

/** One ground-truth box, normalised to the image: centre x/y and width/height in 0..1. */
export interface Box {
  cls: number;
  cx: number;
  cy: number;
  w: number;
  h: number;
}

/** One image of a split. `file` is relative to the dataset root, with '/' separators. */
export interface LabeledImage {
  file: string;
  width: number;
  height: number;
  boxes: Box[];
  /** True for an image kept without any box of the chosen classes (a negative example). */
  background?: boolean;
}

/** Something skipped during an import, reported by file (never an exception). */
export interface Problem {
  file: string;
  problem: string;
}

export type DatasetFormat = 'yolo' | 'coco' | 'vehicles';

export interface Dataset {
  format: DatasetFormat;
  /** Class names; a box's `cls` indexes this list. */
  names: string[];
  /** Split name → images, e.g. train/val or train2017/val2017, in a stable (sorted) order. */
  splits: Record<string, LabeledImage[]>;
  problems: Problem[];
}

/**
 * Files come through this tiny interface, so the same importers run in Node (fs), in the browser (a folder picker
 * or drag and drop: File objects) and over HTTP (the bundled set under public/).
 */
export interface FileSource {
  /** Every file below the root, relative, '/'-separated, sorted. */
  list(): Promise<string[]>;
  /** The bytes of one listed file; rejects if it cannot be read. */
  read(path: string): Promise<Uint8Array>;
  /** An image's size from the source's own index (the bundled set's manifest), if it has one for that file. */
  imageSize?(path: string): Promise<{ width: number; height: number } | undefined>;
}

/** A decoded 8-bit RGB image, 3 bytes per pixel, row-major. */
export interface RGBImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** jpeg-js/pngjs in Node (src/cli/node-files.ts); createImageBitmap + OffscreenCanvas in the worker (browser-files.ts). */
export type ImageDecoder = (bytes: Uint8Array, file: string) => Promise<RGBImage>;

/** The augmentation part of a ScaledYOLOv4 hyp.yaml, with its keys. */
export interface AugmentHyp {
  hsv_h: number;
  hsv_s: number;
  hsv_v: number;
  degrees: number;
  translate: number;
  scale: number;
  shear: number;
  perspective: number;
  flipud: number;
  fliplr: number;
  /** Probability of the 4-image mosaic ([SL] always mosaics when training: 1.0). */
  mosaic: number;
  /** Probability of mixing two mosaics with a Beta(8,8) ratio. */
  mixup: number;
}

/** How one batch image maps back to its source image: original = (batchPixel - pad) / ratio. */
export interface BatchItem {
  file: string;
  /** Original image size in pixels. */
  width: number;
  height: number;
  /** Letterbox scale and padding (val path). For augmented (mosaic) images ratio is 0: they map to no single file. */
  ratio: number;
  padX: number;
  padY: number;
}

export interface Batch {
  /** NHWC float32 in [0,1]. */
  images: Float32Array;
  /** [N, img, img, 3]. */
  shape: [number, number, number, 3];
  /** Rows of 6: (imageIndex, class, cx, cy, w, h), normalised to the batch image. */
  targets: Float32Array;
  numTargets: number;
  items: BatchItem[];
}

/** Anything that hands out decoded images by file (a cache over a FileSource + decoder). */
export interface ImageProvider {
  get(file: string): Promise<RGBImage>;
}
