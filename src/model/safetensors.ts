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

export function decodeSafetensors(bytes: Uint8Array): Record<string, SafeTensor> {
  if (bytes.byteLength < 8) throw new Error('safetensors: file shorter than its 8-byte header length');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) throw new Error(`safetensors: header length ${headerLength} exceeds the file`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: SafetensorsDtype; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) throw new Error(`safetensors: '${name}' has unsupported dtype ${dtype}`);
    const [begin, end] = offsets;
    if (end - begin !== elementCount(shape) * BYTES[dtype] || dataStart + end > bytes.byteLength) {
      throw new Error(`safetensors: '${name}' has bad data_offsets [${begin}, ${end}] for ${dtype} ${JSON.stringify(shape)}`);
    }
    tensors[name] = { dtype, shape, data: typedView(dtype, bytes.subarray(dataStart + begin, dataStart + end)) };
  }
  return tensors;
}
