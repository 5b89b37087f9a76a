import type { FileSource, ImageDecoder, ImageProvider } from './types.js';

/** Reads a file through the source and decodes it; no caching here (the batch loader caches resized images). */
export function createImageProvider(files: FileSource, decode: ImageDecoder): ImageProvider {
  return {
    async get(file) {
      return decode(await files.read(file), file);
    },
  };
}
