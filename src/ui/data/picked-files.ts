/**
 * Files the user gives the page: a folder picker (webkitRelativePath), a multi-file picker, or a drag-and-drop of
 * folders (walked through the File System entries API). All become `{path, file}` pairs relative to the dropped or
 * picked folder, which is what the worker's `files` data source takes.
 */
export interface PickedFile {
  path: string;
  file: Blob;
}

/** Drops a shared leading folder (the picked folder's own name) so paths start at the dataset root. */
export function stripCommonRoot(paths: readonly string[]): string[] {
  const normalized = paths.map((path) => path.replace(/\\/g, '/').replace(/^\/+/, ''));
  const roots = new Set(normalized.map((path) => path.split('/')[0]));
  const strip = roots.size === 1 && normalized.every((path) => path.includes('/'));
  return strip ? normalized.map((path) => path.slice(path.indexOf('/') + 1)) : normalized;
}

export function fromFileList(files: Iterable<File>): PickedFile[] {
  const list = [...files];
  const paths = stripCommonRoot(list.map((file) => file.webkitRelativePath || file.name));
  return list.map((file, i) => ({ path: paths[i], file }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: { path: string; file: File }[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath, file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in chunks (100 in Chromium) until it returns an empty list.
  for (let chunk = await readEntries(reader); chunk.length > 0; chunk = await readEntries(reader)) {
    for (const child of chunk) await walk(child, out);
  }
}

export async function fromDataTransfer(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  const found: { path: string; file: File }[] = [];
  for (const entry of entries) await walk(entry, found);
  const paths = stripCommonRoot(found.map((item) => item.path));
  return found.map((item, i) => ({ path: paths[i], file: item.file }));
}
