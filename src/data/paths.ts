/** '/'-separated path helpers shared by the importers (no `node:path`, so they also run in the worker). */

export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Lower-case extension without the dot ('' if none). */
export function extension(path: string): string {
  const base = baseName(path);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i + 1).toLowerCase();
}

export function withoutExtension(path: string): string {
  const i = path.lastIndexOf('.');
  return i <= path.lastIndexOf('/') ? path : path.slice(0, i);
}

/** True if `path` lies below folder `dir` ('' = the root). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(dir + '/');
}
