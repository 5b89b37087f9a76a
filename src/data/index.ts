/**
 * The data pipeline's public API (browser-safe: nothing here imports `node:` or the DOM).
 *
 *   loadDataset(source)            YOLO folder or COCO json (+ images) → Dataset, with problems listed, never thrown
 *   decodeEveryImage(d, src, dec)  the dataset without images that fail a full decode, each listed as a problem
 *   dataProblemsText(d)            the first problems as lines, to print before any split decision
 *   createImageProvider(src, dec)  FileSource + ImageDecoder → decoded images by file
 *   createBatchLoader(opts)        Dataset split → deterministic batches (mosaic/affine/HSV/flips or letterbox)
 *   generateVehicleImage / ...     the bundled synthetic vehicle set (deterministic, index-addressable)
 *   bundledVehicles(baseUrl)       the committed set as a FileSource over fetch (the worker's path)
 *   parseManifest / encodeManifest the HTTP index (manifest.json): files, plus inline labels and image sizes
 *
 * The browser's decoder is in browser-files.ts (browserImageDecoder) and a run's source spec → FileSource in
 * browser-source.ts: import those files directly where they are needed. Node's file access and decoder
 * (nodeFileSource, nodeImageDecoder, writeFiles) live with the CLI, in src/cli/node-files.ts.
 */
export type {
  AugmentHyp,
  Batch,
  BatchItem,
  Box,
  Dataset,
  DatasetFormat,
  FileSource,
  ImageDecoder,
  ImageProvider,
  LabeledImage,
  Problem,
  RGBImage,
} from './types.js';
export { VEHICLE_CLASSES, DEFAULT_AUGMENT_HYP, SCRATCH_AUGMENT_HYP_SC } from './constants.js';
export { loadDataset, detectFormat, type LoadOptions } from './load-dataset.js';
export { summarizeDataset, type DatasetSummary, type SplitSummary } from './summary.js';
export { decodeEveryImage } from './decode-check.js';
export { dataProblemsText } from './problems-text.js';
export { createImageProvider } from './image-provider.js';
export { createBatchLoader, type BatchLoader, type BatchLoaderOptions } from './batches.js';
export { letterbox, type Letterboxed } from './letterbox.js';
export { resizeRGB } from './resize.js';
export { memoryFileSource, urlFileSource, bundledVehicles, BUNDLED_VEHICLES_URL } from './sources.js';
export { parseManifest, encodeManifest, MANIFEST_FILE, type DatasetManifest } from './manifest.js';
export { Random, hashSeed, hashString } from './random.js';
export {
  VEHICLE_SET,
  generateVehicleImage,
  generateVehicleFiles,
  vehicleSetFileList,
  vehicleSetManifest,
  type VehicleSetConfig,
  type GeneratedImage,
} from './vehicles/generate.js';
