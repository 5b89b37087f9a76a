/**
 * The bundled synthetic vehicle set: deterministic and index-addressable (image i of a split depends only on the
 * seed, the split and i), written as a YOLO folder with JPEGs from jpeg-js (pure JS, so the bytes are the same on
 * every machine). Runs in Node and in the browser.
 */
import { VEHICLE_CLASSES } from '../constants.js';
import { encodeManifest, MANIFEST_FILE, type DatasetManifest } from '../manifest.js';
import { Random, hashSeed, hashString } from '../random.js';
import type { Box } from '../types.js';
import { encodeJpeg } from './jpeg.js';
import { composeScene } from './scene.js';

export interface VehicleSetConfig {
  seed: number;
  /** Square image side in pixels. */
  size: number;
  /** Images per split. */
  splits: Record<string, number>;
  /** JPEG quality 1..100. */
  quality: number;
}

/** What is committed under public/data/vehicles (10.4 MiB; see docs/data.md). */
export const VEHICLE_SET: Readonly<VehicleSetConfig> = { seed: 20240611, size: 320, splits: { train: 800, val: 200 }, quality: 70 };

export interface GeneratedImage {
  file: string;
  labelFile: string;
  boxes: Box[];
  /** RGB bytes before JPEG encoding. */
  pixels: Uint8Array;
  jpeg: Uint8Array;
  labels: string;
}

const imageName = (split: string, index: number) => `${split}_${String(index).padStart(5, '0')}`;

/** YOLO label text: one `cls cx cy w h` line per box, 6 decimals. */
export function formatLabels(boxes: readonly Box[]): string {
  return boxes.map((b) => `${b.cls} ${b.cx.toFixed(6)} ${b.cy.toFixed(6)} ${b.w.toFixed(6)} ${b.h.toFixed(6)}\n`).join('');
}

const imageFile = (split: string, index: number) => `images/${split}/${imageName(split, index)}.jpg`;
const labelFile = (split: string, index: number) => `labels/${split}/${imageName(split, index)}.txt`;
const sceneRandom = (config: VehicleSetConfig, split: string, index: number) => new Random(hashSeed(config.seed, hashString(split), index));

export function generateVehicleImage(split: string, index: number, config: VehicleSetConfig = VEHICLE_SET): GeneratedImage {
  const { pixels, boxes } = composeScene(sceneRandom(config, split, index), config.size);
  return {
    file: imageFile(split, index),
    labelFile: labelFile(split, index),
    boxes,
    pixels,
    jpeg: encodeJpeg(pixels, config.size, config.size, config.quality),
    labels: formatLabels(boxes),
  };
}

function dataYaml(config: VehicleSetConfig): string {
  const splitLines = Object.keys(config.splits).map((s) => `${s}: images/${s}`).join('\n');
  return [
    '# Synthetic 4-class vehicle set made by `npm run lab -- data make-vehicles` (see docs/data.md).',
    `# seed ${config.seed}, ${config.size}x${config.size} JPEG q${config.quality}; ` +
      Object.entries(config.splits).map(([s, n]) => `${n} ${s}`).join(', '),
    'path: .',
    splitLines,
    `nc: ${VEHICLE_CLASSES.length}`,
    `names: [${VEHICLE_CLASSES.join(', ')}]`,
    '',
  ].join('\n');
}

/** Every file of the set, in writing order (the manifest lists them for HTTP sources). */
export function vehicleSetFileList(config: VehicleSetConfig = VEHICLE_SET): string[] {
  const files = ['data.yaml', MANIFEST_FILE];
  for (const [split, count] of Object.entries(config.splits)) {
    for (let i = 0; i < count; i++) files.push(imageFile(split, i), labelFile(split, i));
  }
  return files;
}

/**
 * The set's index: its files, every label text and every image size, so the page loads the set in one request. The
 * labels come from layout-only scenes (no painting), which give the same boxes as the pictures.
 */
export function vehicleSetManifest(config: VehicleSetConfig = VEHICLE_SET): DatasetManifest {
  const labels: Record<string, string> = {};
  const imageSizes: Record<string, [number, number]> = {};
  for (const [split, count] of Object.entries(config.splits)) {
    for (let i = 0; i < count; i++) {
      labels[labelFile(split, i)] = formatLabels(composeScene(sceneRandom(config, split, i), config.size, false).boxes);
      imageSizes[imageFile(split, i)] = [config.size, config.size];
    }
  }
  return { files: vehicleSetFileList(config), labels, imageSizes };
}

/**
 * The set's files as (path, bytes). `only` limits the images to the first n of each split (a quick regeneration
 * check); the yaml and manifest always describe the whole set.
 */
export function* generateVehicleFiles(config: VehicleSetConfig = VEHICLE_SET, only?: number): Generator<[string, Uint8Array]> {
  const text = new TextEncoder();
  yield ['data.yaml', text.encode(dataYaml(config))];
  yield [MANIFEST_FILE, text.encode(encodeManifest(vehicleSetManifest(config)))];
  for (const [split, count] of Object.entries(config.splits)) {
    for (let i = 0; i < Math.min(count, only ?? count); i++) {
      const image = generateVehicleImage(split, i, config);
      yield [image.file, image.jpeg];
      yield [image.labelFile, text.encode(image.labels)];
    }
  }
}
