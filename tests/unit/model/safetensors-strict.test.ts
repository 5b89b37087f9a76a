/** The safetensors reader trusts nothing in a file's header: each hostile header is refused, naming the tensor. */
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../../src/model/safetensors';

/** A file with a hand-written header text and `dataBytes` bytes of data (0, 1, 2, …), as a hostile writer would make. */
function rawFile(headerText: string, dataBytes: number): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + header.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  for (let i = 0; i < dataBytes; i++) out[8 + header.length + i] = i & 0xff;
  return out;
}

const rawHeader = (header: unknown, dataBytes: number) => rawFile(JSON.stringify(header), dataBytes);

/** The error decodeSafetensors throws for these bytes (fails the test when it throws none). */
function refusal(bytes: Uint8Array): SafetensorsError {
  try {
    decodeSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    const typed = error as SafetensorsError;
    expect(typed.message.length).toBeLessThanOrEqual(300);
    return typed;
  }
  throw new Error('decodeSafetensors accepted the file');
}

const f32 = (begin: number, end: number, shape = [(end - begin) / 4]) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('strict safetensors reader', () => {
  it('still reads what encodeSafetensors writes, and tensors listed out of offset order', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }, b: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } });
    expect(Array.from(decodeSafetensors(bytes).a.data as Float32Array)).toEqual([1, 2]);
    const shuffled = decodeSafetensors(rawHeader({ second: f32(8, 16), first: f32(0, 8) }, 16));
    expect(Array.from(new Uint8Array((shuffled.second.data as Float32Array).buffer))).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('refuses negative data_offsets (which would read header bytes as weights)', () => {
    const error = refusal(rawHeader({ w: f32(-8, 0, [2]) }, 0));
    expect(error.tensor).toBe('w');
    expect(error.message).toMatch(/'w' has data_offsets that are not two non-negative integers/);
  });

  it('refuses overlapping and gapped offsets, naming the tensor', () => {
    const overlap = refusal(rawHeader({ a: f32(0, 8), b: f32(4, 12) }, 12));
    expect(overlap.tensor).toBe('b');
    expect(overlap.message).toMatch(/overlaps/);
    const gap = refusal(rawHeader({ a: f32(0, 4), b: f32(8, 12) }, 12));
    expect(gap.tensor).toBe('b');
    expect(gap.message).toMatch(/gap/);
  });

  it('refuses a tensor past the end of the file, and data bytes no tensor owns', () => {
    const past = refusal(rawHeader({ a: f32(0, 16) }, 8));
    expect(past.tensor).toBe('a');
    expect(past.message).toMatch(/past the end of the data \(8 bytes\)/);
    expect(refusal(rawHeader({ a: f32(0, 4) }, 8)).message).toMatch(/cover 4 of the 8 data bytes/);
  });

  it('refuses a null or non-object entry, an unknown dtype (own keys only) and a shape that does not match', () => {
    expect(refusal(rawHeader({ n: null }, 0)).message).toMatch(/'n' is null, not an object/);
    expect(refusal(rawHeader({ n: [1, 2] }, 0)).tensor).toBe('n');
    for (const dtype of ['F8', 'constructor', '__proto__', 7]) {
      const error = refusal(rawHeader({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4));
      expect(error.tensor).toBe('w');
      expect(error.message).toMatch(/unknown dtype/);
    }
    expect(refusal(rawHeader({ w: f32(0, 8, [3]) }, 8)).message).toMatch(/'w' has data_offsets \[0, 8\], but F32 \[3\] needs 12 bytes/);
    expect(refusal(rawHeader({ w: f32(0, 4, [-1]) }, 4)).message).toMatch(/'w' has a shape that is not a list/);
    expect(refusal(rawHeader({ w: { dtype: 'F32', shape: [1] } }, 4)).message).toMatch(/'w' has data_offsets that are not/);
  });

  it('refuses a header that is not JSON, not an object, or longer than the file, with a typed error', () => {
    expect(refusal(rawFile('{"w": {', 0)).message).toMatch(/header is not JSON text/);
    expect(refusal(rawFile('[1,2]', 0)).message).toMatch(/header is an array, not a JSON object/);
    expect(refusal(rawFile('null', 0)).message).toMatch(/header is null/);
    const lying = rawFile('{}', 0);
    new DataView(lying.buffer).setBigUint64(0, 2n ** 60n, true);
    expect(refusal(lying).message).toMatch(/header length \d+ exceeds the file/);
    expect(refusal(new Uint8Array(3)).message).toMatch(/shorter than its 8-byte header length/);
    expect(refusal(rawHeader({ __metadata__: { a: 1 } }, 0)).message).toMatch(/__metadata__ is not an object of strings/);
  });

  it('keeps a tensor named __proto__ as a tensor, not as the record prototype; long names are clipped', () => {
    const file = decodeSafetensors(rawFile('{"__proto__": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}', 1));
    expect(Object.keys(file)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(file)).toBe(Object.prototype);
    const long = 'x'.repeat(10_000);
    expect(refusal(rawHeader({ [long]: null }, 0)).message.length).toBeLessThan(300);
  });
});
