/** A RunSink over a folder on disk (Node only: fs, path). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunSink } from '../train/sink';

export class FolderSink implements RunSink {
  constructor(readonly dir: string) {}

  /** Writes to a temporary name, then renames, so an interrupted run never leaves a half-written checkpoint. */
  private async write(name: string, data: string | Uint8Array): Promise<void> {
    const path = join(this.dir, name);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    await writeFile(tmp, data);
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
