import { resizeRGB } from './resize.js';
import type { ImageProvider, RGBImage } from './types.js';

/**
 * The original load_image(): decode, then resize so the longer side is `size` (aspect kept). Results are kept in a
 * least-recently-used cache bounded in bytes, since every mosaic reads four images.
 */
export class ResizedImageCache {
  private readonly entries = new Map<string, RGBImage>();
  private bytes = 0;

  constructor(private readonly provider: ImageProvider, private readonly size: number, private readonly maxBytes: number) {}

  async get(file: string): Promise<RGBImage> {
    const hit = this.entries.get(file);
    if (hit) {
      this.entries.delete(file); // re-insert: Map order is the recency order
      this.entries.set(file, hit);
      return hit;
    }
    const decoded = await this.provider.get(file);
    const r = this.size / Math.max(decoded.width, decoded.height);
    const image = r === 1 ? decoded
      : resizeRGB(decoded, Math.max(1, Math.round(decoded.width * r)), Math.max(1, Math.round(decoded.height * r)));
    this.entries.set(file, image);
    this.bytes += image.data.length;
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.maxBytes || key === file) break;
      this.entries.delete(key);
      this.bytes -= old.data.length;
    }
    return image;
  }
}
