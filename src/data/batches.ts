import { DEFAULT_AUGMENT_HYP, PAD_VALUE } from './constants.js';
import { ResizedImageCache } from './image-cache.js';
import { letterbox } from './letterbox.js';
import { toPixelBoxes, type PixelBox } from './pixel-boxes.js';
import { Random, hashSeed } from './random.js';
import { trainSample, type LoadedSample } from './train-sample.js';
import type { AugmentHyp, Batch, BatchItem, Dataset, ImageProvider, LabeledImage, Problem, RGBImage } from './types.js';

export interface BatchLoaderOptions {
  dataset: Dataset;
  split: string;
  /** Decoded images by file (createImageProvider(source, decoder)). */
  images: ImageProvider;
  /** Square batch image size in pixels (a multiple of 32 for the model). */
  img: number;
  batch: number;
  /** Train path (mosaic, warp, HSV, flips) when true; letterbox only when false. */
  augment: boolean;
  hyp?: AugmentHyp;
  seed: number;
  shuffle: boolean;
  /** Include background images (no boxes); default true. */
  background?: boolean;
  /** Bound of the resized-image cache; default 256 MiB. */
  cacheBytes?: number;
  /** Called for an image that fails to decode; it is replaced by a grey image without boxes. Default: console.warn. */
  onProblem?: (problem: Problem) => void;
}

export interface BatchLoader {
  /** Images in the split (after the background choice). */
  readonly size: number;
  /** ceil(size / batch): the last batch may be smaller. */
  readonly batchesPerEpoch: number;
  /**
   * The batches of epoch e. The order and every augmentation draw depend only on (seed, e, position), never on
   * earlier epochs, so a resumed run reproduces exactly; batches before startIteration are skipped without decoding.
   */
  epoch(e: number, startIteration?: number): AsyncIterable<Batch>;
}

const ORDER_STREAM = 0x0bde7; // separates the shuffle's random stream from the per-sample streams

export function createBatchLoader(options: BatchLoaderOptions): BatchLoader {
  const { dataset, split, img, batch, augment, seed, shuffle } = options;
  const hyp = options.hyp ?? DEFAULT_AUGMENT_HYP;
  const all = dataset.splits[split];
  if (!all) throw new Error(`no split '${split}' in the dataset (has: ${Object.keys(dataset.splits).join(', ')})`);
  if (!(img > 0) || !(batch > 0)) throw new Error('img and batch must be positive');
  const images: LabeledImage[] = options.background === false ? all.filter((im) => im.boxes.length > 0) : all;
  const cache = new ResizedImageCache(options.images, img, options.cacheBytes ?? 256 * 2 ** 20);
  const report = options.onProblem ?? ((p: Problem) => console.warn(`${p.file}: ${p.problem}`));
  const batchesPerEpoch = Math.ceil(images.length / batch);

  async function load(index: number): Promise<LoadedSample> {
    const entry = images[index];
    try {
      return { image: await cache.get(entry.file), boxes: entry.boxes };
    } catch (err) {
      report({ file: entry.file, problem: `cannot decode image: ${err instanceof Error ? err.message : String(err)}` });
      const side = img;
      return { image: { width: side, height: side, data: new Uint8Array(side * side * 3).fill(PAD_VALUE) }, boxes: [] };
    }
  }

  async function sample(e: number, position: number, index: number): Promise<{ image: RGBImage; boxes: PixelBox[]; item: BatchItem }> {
    const entry = images[index];
    if (augment) {
      const rng = new Random(hashSeed(seed, e, position));
      const out = await trainSample(index, images.length, load, img, hyp, rng);
      return { ...out, item: { file: entry.file, width: entry.width, height: entry.height, ratio: 0, padX: 0, padY: 0 } };
    }
    const { image, boxes } = await load(index);
    const lb = letterbox(image, img);
    const ratio = lb.ratio * (image.width / entry.width); // loaded image → batch, times original → loaded
    return {
      image: lb.image,
      boxes: toPixelBoxes(boxes, image.width, image.height, lb.ratio, lb.padX, lb.padY),
      item: { file: entry.file, width: entry.width, height: entry.height, ratio, padX: lb.padX, padY: lb.padY },
    };
  }

  async function* epoch(e: number, startIteration = 0): AsyncGenerator<Batch> {
    const order = shuffle ? new Random(hashSeed(seed, e, ORDER_STREAM)).permutation(images.length) : images.map((_, i) => i);
    for (let it = startIteration; it < batchesPerEpoch; it++) {
      const positions = order.slice(it * batch, (it + 1) * batch);
      const n = positions.length;
      const pixels = img * img * 3;
      const data = new Float32Array(n * pixels);
      const targets: number[] = [];
      const items: BatchItem[] = [];
      for (let k = 0; k < n; k++) {
        const out = await sample(e, it * batch + k, positions[k]);
        const bytes = out.image.data;
        for (let i = 0; i < pixels; i++) data[k * pixels + i] = bytes[i] / 255;
        for (const b of out.boxes) {
          targets.push(k, b.cls, (b.x1 + b.x2) / 2 / img, (b.y1 + b.y2) / 2 / img, (b.x2 - b.x1) / img, (b.y2 - b.y1) / img);
        }
        items.push(out.item);
      }
      yield { images: data, shape: [n, img, img, 3], targets: Float32Array.from(targets), numTargets: targets.length / 6, items };
    }
  }

  return { size: images.length, batchesPerEpoch, epoch };
}
