/**
 * A run's views (its newest val predictions and feature maps) in a run file: their numbers as JSON, their pixels as
 * one binary entry each, so a shared run opens with the same Predictions tab. Read back with every size checked
 * against its shape, naming the entry: a run file comes from someone else's disk.
 */
import { strFromU8, strToU8, type Zippable } from 'fflate';
import type { FeatureMap } from '../model/feature-maps';
import type { PredictionImage } from '../run/progress';
import type { RunViews } from './records';

const PREDICTIONS = 'views/predictions.json';
const FEATURE_MAPS = 'views/feature-maps.json';
const imageEntry = (i: number) => `views/predictions/${i}.bin`;
const mapEntry = (i: number) => `views/feature-maps/${i}.bin`;

type Described<T, K extends keyof T> = Omit<T, K>;

export function encodeViews(views: RunViews | undefined): Zippable {
  const files: Zippable = {};
  if (views?.predictions) {
    const { epoch, images } = views.predictions;
    files[PREDICTIONS] = strToU8(JSON.stringify({ epoch, images: images.map(({ bytes: _bytes, ...image }) => image) }));
    images.forEach((image, i) => (files[imageEntry(i)] = [new Uint8Array(image.bytes), { level: 0 }]));
  }
  if (views?.featureMaps) {
    const { epoch, image, maps } = views.featureMaps;
    files[FEATURE_MAPS] = strToU8(JSON.stringify({ epoch, image, maps: maps.map(({ values: _values, ...map }) => map) }));
    maps.forEach((map, i) => (files[mapEntry(i)] = map.values));
  }
  return files;
}

export class RunViewsError extends Error {
  override readonly name = 'RunViewsError';
}

function parse<T>(files: Record<string, Uint8Array>, name: string): T | undefined {
  const bytes = files[name];
  if (!bytes) return undefined;
  try {
    return JSON.parse(strFromU8(bytes)) as T;
  } catch (error) {
    throw new RunViewsError(`${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function entry(files: Record<string, Uint8Array>, name: string, expected: number): Uint8Array {
  const bytes = files[name];
  if (!bytes) throw new RunViewsError(`${name} is missing`);
  if (bytes.length !== expected) throw new RunViewsError(`${name} holds ${bytes.length} bytes where its shape needs ${expected}`);
  return bytes;
}

const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 1 << 14;

/** The views of a run file, or undefined when it has none (files exported before views existed). */
export function decodeViews(files: Record<string, Uint8Array>, runId: string): RunViews | undefined {
  const predictions = parse<{ epoch: number; images: Described<PredictionImage, 'bytes'>[] }>(files, PREDICTIONS);
  const featureMaps = parse<{ epoch: number; image: string; maps: Described<FeatureMap, 'values'>[] }>(files, FEATURE_MAPS);
  if (!predictions && !featureMaps) return undefined;
  const views: RunViews = { runId };
  if (predictions) {
    if (!Array.isArray(predictions.images)) throw new RunViewsError(`${PREDICTIONS}: images must be a list`);
    views.predictions = {
      epoch: predictions.epoch,
      images: predictions.images.map((image, i) => {
        if (!count(image.width) || !count(image.height)) throw new RunViewsError(`${PREDICTIONS}: images[${i}] has no valid width and height`);
        const bytes = image.encoding === 'rgba8' ? entry(files, imageEntry(i), image.width * image.height * 4) : files[imageEntry(i)];
        if (!bytes) throw new RunViewsError(`${imageEntry(i)} is missing`);
        return { ...image, predictions: image.predictions ?? [], truth: image.truth ?? [], bytes: bytes.slice().buffer };
      }),
    };
  }
  if (featureMaps) {
    if (!Array.isArray(featureMaps.maps)) throw new RunViewsError(`${FEATURE_MAPS}: maps must be a list`);
    views.featureMaps = {
      epoch: featureMaps.epoch,
      image: String(featureMaps.image),
      maps: featureMaps.maps.map((map, i) => {
        if (!count(map.width) || !count(map.height)) throw new RunViewsError(`${FEATURE_MAPS}: maps[${i}] has no valid width and height`);
        return { ...map, values: entry(files, mapEntry(i), map.width * map.height).slice() };
      }),
    };
  }
  return views;
}
