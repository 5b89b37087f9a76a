/** The worker harness's tiny run written out as files, so the CLI trains on exactly the worker's data and model. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TINY_YAML, tinyVehicleSource } from '../worker/harness';

export interface TinyFolder {
  root: string;
  /** A YOLO folder: data.yaml, 4 train and 2 val images of the bundled set with their labels. */
  data: string;
  model: string;
}

export async function writeTinyFolder(prefix: string): Promise<TinyFolder> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const data = join(root, 'data');
  const model = join(root, 'tiny.yaml');
  const source = tinyVehicleSource();
  for (const file of await source.list()) {
    mkdirSync(dirname(join(data, file)), { recursive: true });
    writeFileSync(join(data, file), await source.read(file));
  }
  writeFileSync(model, TINY_YAML);
  return { root, data, model };
}
