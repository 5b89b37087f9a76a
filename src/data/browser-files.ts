/**
 * The worker's image decoder: createImageBitmap + OffscreenCanvas. Not imported in Node. (Files the user picks or
 * drops are collected on the page, src/ui/data/picked-files.ts, and read in the worker by data/browser-source.ts.)
 */
import type { ImageDecoder } from './types.js';

/** Decodes any format the browser knows, to RGB, off the UI thread (createImageBitmap works in workers). */
export const browserImageDecoder: ImageDecoder = async (bytes, file) => {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error(`${file}: no 2d context`);
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const data = new Uint8Array(bitmap.width * bitmap.height * 3);
    for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
      data[j] = rgba[i];
      data[j + 1] = rgba[i + 1];
      data[j + 2] = rgba[i + 2];
    }
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
};
