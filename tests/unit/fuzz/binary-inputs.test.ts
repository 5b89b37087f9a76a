/** Fuzzing the binary and URL readers: safetensors headers, image headers and the page's URL state. */
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../../src/data/image-header';
import { decodeSafetensors, SafetensorsError } from '../../../src/model/safetensors';
import { LIMITS } from '../../../src/ui/state/settings';
import { encodeText, settingsFromQuery } from '../../../src/ui/state/url-state';
import { fuzzParams, typedOutcome } from './outcome';

/** A file of `header` text and `data` bytes, with the 8-byte length prefix (which may lie by `lengthDelta`). */
function safetensorsFile(header: string, data: number, lengthDelta: number): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + headerBytes.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, headerBytes.length + lengthDelta)), true);
  out.set(headerBytes, 8);
  return out;
}

describe('fuzz: safetensors headers', () => {
  it('any header gives tensors that tile the data, or a SafetensorsError', () => {
    const offset = fc.oneof(fc.integer({ min: -4, max: 40 }), fc.double(), fc.constant(null));
    const entry = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          {
            dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'I64', 'U8', 'BOOL', 'F8', 'constructor', '__proto__'), fc.jsonValue({ maxDepth: 1 })),
            shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
            data_offsets: fc.oneof(fc.tuple(offset, offset), fc.array(offset, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          },
          { requiredKeys: [] },
        ),
      },
      fc.jsonValue({ maxDepth: 2 }),
    );
    const header = fc.oneof(
      { weight: 5, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__metadata__', '__proto__')), entry, { maxKeys: 4 }).map((h) => JSON.stringify(h)) },
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(header, fc.integer({ min: 0, max: 40 }), fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, fc.integer({ min: -10, max: 10 })), (text, data, delta) => {
        const tensors = typedOutcome(() => decodeSafetensors(safetensorsFile(text, data, delta)), [SafetensorsError]);
        if (tensors) {
          const bytes = Object.values(tensors).reduce((sum, t) => sum + t.data.byteLength, 0);
          expect(bytes).toBe(data);
        }
      }),
      fuzzParams(500),
    );
  });
});

describe('fuzz: image headers', () => {
  it('any bytes behind an image signature give null or a positive size', () => {
    const signature = fc.constantFrom(
      [0xff, 0xd8],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
      [0x42, 0x4d],
      [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58],
      [],
    );
    const tail = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xff, 0xd9, 0xc0, 0xc4, 0)), { maxLength: 64 });
    fc.assert(
      fc.property(signature, tail, (head, rest) => {
        const header = readImageHeader(new Uint8Array([...head, ...rest]));
        if (header) {
          expect(Number.isInteger(header.width) && header.width > 0).toBe(true);
          expect(Number.isInteger(header.height) && header.height > 0).toBe(true);
        }
      }),
      fuzzParams(1000),
    );
  });
});

/** Zeros deflated (2 and 8 MiB once inflated), as a link's base64url text: made once, they take a while to deflate. */
const DEFLATE_BOMBS = [2, 8].map((mib) => {
  let binary = '';
  for (const byte of deflateSync(new Uint8Array(mib << 20))) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
});

describe('fuzz: URL state', () => {
  it('any query gives settings inside the limits, and texts that inflate to at most 1 MiB', () => {
    const number = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.string({ maxLength: 6 }));
    const text = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeText),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...DEFLATE_BOMBS),
    );
    const params = fc.record(
      {
        backbone: fc.constantFrom('custom', 'resnet50', 'constructor', '__proto__', 'x'),
        scale: fc.string({ maxLength: 3 }),
        backend: fc.constantFrom('webgpu', 'wasm', 'cpu', 'toString'),
        img: number, batch: number, epochs: number, lr0: number, seed: number,
        hyp: text, yaml: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(params.map((p) => new URLSearchParams(p).toString()), fc.string({ maxLength: 40 })), (query) => {
        const settings = settingsFromQuery(query);
        for (const key of ['img', 'batch', 'epochs', 'lr0', 'seed'] as const) {
          expect(settings[key]).toBeGreaterThanOrEqual(LIMITS[key].min);
          expect(settings[key]).toBeLessThanOrEqual(LIMITS[key].max);
        }
        expect(settings.hypYaml.length + settings.customYaml.length).toBeLessThanOrEqual(2 << 20);
      }),
      fuzzParams(200),
    );
  });
});
