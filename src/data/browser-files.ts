/**
 * Browser-side file access and decoding: File objects from a folder picker or drag and drop (collected on the page,
 * then posted to the worker, where File objects can be read), and createImageBitmap + OffscreenCanvas to decode in
 * the worker. Not imported in Node.
 */
import { normalizePath } from './paths.js';
import type { FileSource, ImageDecoder } from './types.js';

/** Files by relative path; a single top folder shared by every path (the picked or dropped folder) is stripped. */
function pathSource(entries: [string, File][]): FileSource {
  const paths = entries.map(([p]) => normalizePath(p));
  const roots = new Set(paths.map((p) => p.split('/')[0]));
  const strip = roots.size === 1 && paths.every((p) => p.includes('/'));
  const byPath = new Map<string, File>();
  entries.forEach(([, file], i) => byPath.set(strip ? paths[i].slice(paths[i].indexOf('/') + 1) : paths[i], file));
  return {
    async list() {
      return [...byPath.keys()].sort();
    },
    async read(path) {
      const file = byPath.get(path);
      if (!file) throw new Error(`no such file: ${path}`);
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

/** Files from <input type="file" webkitdirectory> (their webkitRelativePath gives the folder layout). */
export function fileListSource(files: Iterable<File>): FileSource {
  return pathSource([...files].map((f) => [f.webkitRelativePath || f.name, f]));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function collectEntry(entry: FileSystemEntry, out: [string, File][]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push([entry.fullPath, file]);
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await collectEntry(child, out);
    }
  }
}

/** Files and folders dropped on the page (drag and drop), walked recursively. Call it in the drop handler itself. */
export async function dropFileSource(transfer: DataTransfer): Promise<FileSource> {
  const roots = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: [string, File][] = [];
  for (const root of roots) await collectEntry(root, out);
  return pathSource(out);
}

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
