/**
 * MaxPoolGrad for the wasm backend. tfjs-backend-wasm's own kernel starts its running max at the smallest positive
 * float instead of -∞, so a window whose values are all ≤ 0 (common after BN and Mish) routes no gradient at all.
 * This one matches the cpu backend: the gradient goes to the first maximum of each window, in row-major order.
 * Loops run channel-innermost, so each window pass reads contiguous NHWC memory.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, f32, type KernelParams } from './wasm-backend';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo {
  const backend = asWasmBackend(kernelBackend);
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;

  const dxInfo = backend.makeOutput(input.shape, 'float32');
  const x = f32(backend, input);
  const dyValues = f32(backend, dy);
  const dx = f32(backend, dxInfo);
  dx.fill(0);

  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let iy = Math.max(0, y0); iy < Math.min(inHeight, y0 + effectiveFilterHeight); iy++) {
          for (let ix = Math.max(0, x0); ix < Math.min(inWidth, x0 + effectiveFilterWidth); ix++) {
            const base = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                bestAt[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          if (bestAt[c] >= 0) dx[bestAt[c]] += dyValues[dyBase + c];
        }
      }
    }
  }
  return dxInfo;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
