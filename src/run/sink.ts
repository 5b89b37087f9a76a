/**
 * Where a run's files go. RunFiles reads and writes through this interface only, so it holds no storage code of its
 * own: MemorySink keeps the files in a Map, src/cli/node-sink.ts writes them to a folder.
 */
export interface RunSink {
  writeText(name: string, text: string): Promise<void>;
  writeBytes(name: string, bytes: Uint8Array): Promise<void>;
  /** null when the file does not exist. */
  readBytes(name: string): Promise<Uint8Array | null>;
}

/** Files kept in a Map, in memory. */
export class MemorySink implements RunSink {
  readonly files = new Map<string, Uint8Array>();

  async writeText(name: string, text: string): Promise<void> {
    this.files.set(name, new TextEncoder().encode(text));
  }

  async writeBytes(name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(name, bytes.slice());
  }

  async readBytes(name: string): Promise<Uint8Array | null> {
    return this.files.get(name) ?? null;
  }

  text(name: string): string | null {
    const bytes = this.files.get(name);
    return bytes ? new TextDecoder().decode(bytes) : null;
  }
}

export async function readText(sink: RunSink, name: string): Promise<string | null> {
  const bytes = await sink.readBytes(name);
  return bytes ? new TextDecoder().decode(bytes) : null;
}
