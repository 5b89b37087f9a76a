import { loadDataset } from './load-dataset.js';
import { MANIFEST_FILE, parseManifest, type DatasetManifest } from './manifest.js';
import { normalizePath } from './paths.js';
import type { Dataset, FileSource } from './types.js';

/** Files held in memory (tests, generated data, drag-and-drop already read). */
export function memoryFileSource(files: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>): FileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    async list() {
      return [...map.keys()].map(normalizePath).sort();
    },
    async read(path) {
      const bytes = map.get(path) ?? map.get(normalizePath(path));
      if (!bytes) throw new Error(`no such file: ${path}`);
      return bytes;
    },
  };
}

/**
 * Files served over HTTP below baseUrl. HTTP cannot list a folder, so the list comes from the manifest next to the
 * data (see manifest.ts); label texts and image sizes the manifest carries are answered from it, without a request.
 */
export function urlFileSource(baseUrl: string, manifest = MANIFEST_FILE, fetchFn: typeof fetch = fetch): FileSource {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  let index: Promise<DatasetManifest> | undefined;
  const loadIndex = () =>
    (index ??= fetchFn(base + manifest).then(async (res) => {
      if (!res.ok) throw new Error(`cannot fetch ${base + manifest}: HTTP ${res.status}`);
      return parseManifest(await res.json());
    }));
  return {
    async list() {
      return [...(await loadIndex()).files].sort();
    },
    async read(path) {
      const inline = (await loadIndex()).labels?.[normalizePath(path)];
      if (inline !== undefined) return new TextEncoder().encode(inline);
      const res = await fetchFn(base + path);
      if (!res.ok) throw new Error(`cannot fetch ${base + path}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async imageSize(path) {
      const size = (await loadIndex()).imageSizes?.[normalizePath(path)];
      return size && { width: size[0], height: size[1] };
    },
  };
}

/** Where the bundled set is served from (public/data/vehicles). */
export const BUNDLED_VEHICLES_URL = '/data/vehicles/';

/**
 * The bundled vehicle set (a YOLO folder) and its FileSource. The worker passes its origin's URL (default:
 * /data/vehicles/); Node passes nodeFileSource('public/data/vehicles') as `source`.
 */
export async function bundledVehicles(
  source: FileSource = urlFileSource(BUNDLED_VEHICLES_URL),
): Promise<{ dataset: Dataset; source: FileSource }> {
  const dataset = await loadDataset(source, { format: 'yolo' });
  return { dataset: { ...dataset, format: 'vehicles' }, source };
}
