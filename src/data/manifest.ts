/**
 * manifest.json: the index of a dataset served over HTTP. HTTP cannot list a folder, so it lists the files; it may
 * also carry every label file's text and every image's size (the bundled set's does), so that importing the set
 * takes one request instead of one per label and per image header.
 */
import { joinPath } from './paths.js';

export interface DatasetManifest {
  /** Every file below the root, relative, '/'-separated. */
  files: string[];
  /** Label file → its text, served without a request. */
  labels?: Record<string, string>;
  /** Image file → [width, height], so the importer need not read the image to size it. */
  imageSizes?: Record<string, [number, number]>;
}

export const MANIFEST_FILE = 'manifest.json';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a manifest's json, keeping only well-formed entries (a bad index must not break an import). */
export function parseManifest(doc: unknown): DatasetManifest {
  const raw = isRecord(doc) ? doc : {};
  const files = Array.isArray(raw.files) ? raw.files.map((file) => joinPath(String(file))) : [];
  const labels: Record<string, string> = {};
  if (isRecord(raw.labels)) {
    for (const [file, text] of Object.entries(raw.labels)) if (typeof text === 'string') labels[joinPath(file)] = text;
  }
  const imageSizes: Record<string, [number, number]> = {};
  if (isRecord(raw.imageSizes)) {
    for (const [file, size] of Object.entries(raw.imageSizes)) {
      if (Array.isArray(size) && size.length === 2 && size.every((n) => Number.isInteger(n) && n > 0)) imageSizes[joinPath(file)] = [size[0], size[1]];
    }
  }
  return { files, labels, imageSizes };
}

/** The manifest's bytes as the generator commits them: one line of json, keys in a fixed order. */
export function encodeManifest(manifest: DatasetManifest): string {
  return JSON.stringify({ files: manifest.files, labels: manifest.labels, imageSizes: manifest.imageSizes }) + '\n';
}
