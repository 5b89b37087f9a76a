/**
 * The data pipeline's files and images from disk: a folder as a FileSource, decoding with jpeg-js/pngjs, writing files.
 * Node only (fs, path), so it lives with the CLI.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageHeader } from '../data/image-header.js';
import type { FileSource, ImageDecoder, RGBImage } from '../data/types.js';

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.isFile() ? Promise.resolve([full]) : Promise.resolve([]);
  }));
  return nested.flat();
}

/** A folder on disk as a FileSource. */
export function nodeFileSource(root: string): FileSource {
  return {
    async list() {
      return (await walk(root)).map((f) => relative(root, f).split(sep).join('/')).sort();
    },
    async read(path) {
      const buf = await readFile(join(root, path));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
  };
}

function dropAlpha(rgba: Uint8Array, width: number, height: number): RGBImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i];
    data[j + 1] = rgba[i + 1];
    data[j + 2] = rgba[i + 2];
  }
  return { width, height, data };
}

/** Decodes JPEG (jpeg-js) and PNG (pngjs) to RGB. */
export const nodeImageDecoder: ImageDecoder = async (bytes, file) => {
  const header = readImageHeader(bytes);
  if (header?.type === 'jpeg') {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return dropAlpha(img.data, img.width, img.height);
  }
  if (header?.type === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return dropAlpha(png.data, png.width, png.height);
  }
  throw new Error(`${file}: only JPEG and PNG can be decoded in Node (got ${header?.type ?? 'unknown data'})`);
};

/** Writes files (relative path → bytes) below root, creating folders. */
export async function writeFiles(root: string, files: Iterable<[string, Uint8Array]>): Promise<number> {
  let count = 0;
  for (const [path, bytes] of files) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
    count++;
  }
  return count;
}
