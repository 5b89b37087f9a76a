import jpeg from 'jpeg-js';

type BufferHolder = { Buffer?: { from(bytes: ArrayLike<number>): Uint8Array } };

/**
 * RGB → baseline JPEG with jpeg-js (pure JS, so the bytes are the same everywhere). When a bundler wraps jpeg-js as
 * CommonJS, its encoder ends with `Buffer.from(bytes)`, which browsers lack; a Uint8Array stand-in is lent for the
 * duration of this synchronous call only.
 */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i];
    rgba[j + 1] = rgb[i + 1];
    rgba[j + 2] = rgb[i + 2];
    rgba[j + 3] = 255;
  }
  const holder = globalThis as BufferHolder;
  const lend = holder.Buffer === undefined;
  if (lend) holder.Buffer = { from: (bytes) => Uint8Array.from(bytes) };
  try {
    const { data } = jpeg.encode({ data: rgba, width, height }, quality);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } finally {
    if (lend) delete holder.Buffer;
  }
}
