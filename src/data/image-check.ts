import { contentHash, readImageHeader } from './image-header.js';
import type { FileSource } from './types.js';

/**
 * Checks the images of one import: each must be readable with a valid header, and no two may have the same bytes
 * (the second copy is reported as a duplicate). One checker per import, so duplicates are found across splits.
 * An image that the source's index sizes (the generated bundled set) is taken as checked: it is not read at all.
 */
export class ImageChecker {
  private readonly seen = new Map<string, string>();

  constructor(private readonly source: FileSource) {}

  async check(file: string): Promise<{ width: number; height: number } | { problem: string }> {
    const indexed = await this.source.imageSize?.(file);
    if (indexed) return indexed;
    let bytes: Uint8Array;
    try {
      bytes = await this.source.read(file);
    } catch (err) {
      return { problem: `cannot read image (${err instanceof Error ? err.message : String(err)})` };
    }
    const header = readImageHeader(bytes);
    if (!header) return { problem: 'unreadable image (not a complete JPEG/PNG/BMP/WebP file)' };
    const hash = contentHash(bytes);
    const first = this.seen.get(hash);
    if (first !== undefined) return { problem: `duplicate file (same bytes as ${first})` };
    this.seen.set(hash, file);
    return { width: header.width, height: header.height };
  }
}
