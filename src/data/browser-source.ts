/**
 * A run's data source spec (plain data: a URL, or the Blobs the page picked) → a FileSource, with what a browser page
 * or worker has: fetch and Blob.
 */
import type { DataSourceSpec } from '../run/settings';
import { normalizePath } from './paths';
import { urlFileSource } from './sources';
import type { FileSource } from './types';

/** Files the page handed over (folder picker or drag and drop), read lazily: Blobs are references, not copies. */
export function blobFileSource(files: readonly { path: string; file: Blob }[]): FileSource {
  const byPath = new Map(files.map(({ path, file }) => [normalizePath(path), file]));
  return {
    async list() {
      return [...byPath.keys()].sort();
    },
    async read(path) {
      const file = byPath.get(normalizePath(path));
      if (!file) throw new Error(`no such file: ${path}`);
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

/**
 * In a browser or worker: a data URL is fetched relative to `pageUrl` (the page that started the run; the worker's
 * own location is its script's), imported files are read as Blobs.
 */
export function browserSourceFor(spec: DataSourceSpec, pageUrl: string): FileSource {
  if (spec.kind === 'url') return urlFileSource(new URL(spec.baseUrl, pageUrl).href);
  if (spec.kind === 'folder') {
    throw new Error(`this run reads the folder '${spec.path}' on disk: continue it with \`lab train --resume\`, or pick that folder as data`);
  }
  if (spec.files.length === 0) {
    throw new Error('this run was imported from a file without its images: pick the data folder again to train it');
  }
  return blobFileSource(spec.files);
}
