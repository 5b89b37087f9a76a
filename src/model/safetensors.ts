/**
 * The safetensors container: 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {...}}`, then the raw little-endian data.
 */

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface SafeTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Float32Array for F32, BigInt64Array for I64, Int32Array for I32, ...; raw bytes (Uint8Array) for F16/BOOL. */
  data: ArrayBufferView;
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function typedView(dtype: SafetensorsDtype, bytes: Uint8Array): ArrayBufferView {
  // Copy so the view is aligned for its element size.
  const buffer = bytes.slice().buffer;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer);
    case 'F32':
      return new Float32Array(buffer);
    case 'I64':
      return new BigInt64Array(buffer);
    case 'I32':
      return new Int32Array(buffer);
    case 'I16':
      return new Int16Array(buffer);
    case 'I8':
      return new Int8Array(buffer);
    default:
      return new Uint8Array(buffer);
  }
}

/** Names are written in sorted order, each tensor's bytes back to back; the header is space-padded to 8 bytes. */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const { dtype, shape, data } = tensors[name];
    const size = elementCount(shape) * BYTES[dtype];
    if (data.byteLength !== size) {
      throw new Error(`safetensors: '${name}' has ${data.byteLength} bytes, but ${dtype} ${JSON.stringify(shape)} needs ${size}`);
    }
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors[name];
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

/** A safetensors file that cannot be trusted: the message names the tensor (or the header) and what is wrong. */
export class SafetensorsError extends Error {
  /** The tensor the problem is in; undefined for the file's framing and header as a whole. */
  readonly tensor: string | undefined;

  constructor(message: string, tensor?: string) {
    super(`safetensors: ${tensor === undefined ? '' : `'${clip(tensor)}' `}${message}`);
    this.name = 'SafetensorsError';
    this.tensor = tensor;
  }
}

/** Names and values from a hostile header are shortened so no message grows with the input. */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${clip(value, 20)}'`;
  return typeof value === 'object' ? 'an object' : clip(String(value), 20);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(BYTES, value);
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** One header entry, checked on its own: an object with a known dtype, a shape of counts and offsets that fit it. */
function checkEntry(name: string, entry: unknown): Entry {
  if (!isRecord(entry)) throw new SafetensorsError(`is ${describe(entry)}, not an object with dtype, shape and data_offsets`, name);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (!isDtype(dtype)) throw new SafetensorsError(`has unknown dtype ${describe(dtype)} (known: ${Object.keys(BYTES).join(', ')})`, name);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError('has a shape that is not a list of non-negative integers', name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new SafetensorsError('has data_offsets that are not two non-negative integers [begin, end]', name);
  }
  const [begin, end] = offsets as [number, number];
  const size = elementCount(shape) * BYTES[dtype];
  if (end < begin || end - begin !== size) {
    throw new SafetensorsError(`has data_offsets [${begin}, ${end}], but ${dtype} ${JSON.stringify(shape)} needs ${size} bytes`, name);
  }
  return { name, dtype, shape, begin, end };
}

/**
 * Reads a safetensors file, trusting nothing in its header: the tensors' bytes must tile the data section exactly,
 * in offset order, from its start to the end of the file, so no tensor can read header bytes or another's data.
 */
export function decodeSafetensors(bytes: Uint8Array): Record<string, SafeTensor> {
  if (bytes.byteLength < 8) throw new SafetensorsError('file shorter than its 8-byte header length');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (8n + headerLength > BigInt(bytes.byteLength)) {
    throw new SafetensorsError(`header length ${headerLength} exceeds the file (${bytes.byteLength} bytes)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw new SafetensorsError(`header is not JSON text (${clip(error instanceof Error ? error.message : String(error), 120)})`);
  }
  if (!isRecord(header)) throw new SafetensorsError(`header is ${describe(header)}, not a JSON object`);
  const metadata = header.__metadata__;
  if (metadata !== undefined && !(isRecord(metadata) && Object.values(metadata).every((v) => typeof v === 'string'))) {
    throw new SafetensorsError('__metadata__ is not an object of strings');
  }
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, entry]) => checkEntry(name, entry))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLength = bytes.byteLength - dataStart;
  let expected = 0;
  for (const entry of entries) {
    if (entry.begin !== expected) {
      const problem = entry.begin < expected ? 'overlaps the tensor before it' : 'leaves a gap after the tensor before it';
      throw new SafetensorsError(`starts at ${entry.begin}, not ${expected}: it ${problem} (data_offsets must be contiguous)`, entry.name);
    }
    if (entry.end > dataLength) {
      throw new SafetensorsError(`ends at ${entry.end}, past the end of the data (${dataLength} bytes)`, entry.name);
    }
    expected = entry.end;
  }
  if (expected !== dataLength) {
    throw new SafetensorsError(`the tensors cover ${expected} of the ${dataLength} data bytes; the rest belongs to none`);
  }
  // fromEntries defines own properties, so a tensor named __proto__ cannot replace the record's prototype.
  return Object.fromEntries(
    entries.map(({ name, dtype, shape, begin, end }) => [
      name,
      { dtype, shape, data: typedView(dtype, bytes.subarray(dataStart + begin, dataStart + end)) },
    ]),
  );
}
