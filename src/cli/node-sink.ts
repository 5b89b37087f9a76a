/** A RunSink over a folder on disk (Node only: fs, path). */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunSink } from '../run/sink';

export class FolderSink implements RunSink {
  constructor(readonly dir: string) {}

  /**
   * Writes to a temporary name, flushes it to disk, then renames: a run killed (or a machine that loses power) at any
   * moment leaves either the old file or the new one, never half of one.
   */
  private async write(name: string, data: string | Uint8Array): Promise<void> {
    const path = join(this.dir, name);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  }

  writeText(name: string, text: string): Promise<void> {
    return this.write(name, text);
  }

  writeBytes(name: string, bytes: Uint8Array): Promise<void> {
    return this.write(name, bytes);
  }

  async readBytes(name: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(join(this.dir, name)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
