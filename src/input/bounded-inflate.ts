/**
 * Inflates DEFLATE data from an untrusted source (a shared URL) with a cap on the output: a few kilobytes of deflated
 * zeros expand to gigabytes. The input is fed in small chunks (DEFLATE expands a byte at most ~1032-fold), so
 * decompression stops soon after the cap is passed instead of running to the end.
 */
import { Inflate } from 'fflate';

/** Far more than any model YAML or hyp file (the shipped ones are a few KiB). */
export const MAX_INFLATED_BYTES = 1 << 20;

const CHUNK = 1024;

export class InflateLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the compressed text expands to more than ${maxBytes} bytes`);
    this.name = 'InflateLimitError';
  }
}

export function inflateCapped(data: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) over = true;
    else chunks.push(chunk);
  });
  for (let at = 0; at < data.length && !over; at += CHUNK) {
    inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
  }
  if (over) throw new InflateLimitError(maxBytes);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
