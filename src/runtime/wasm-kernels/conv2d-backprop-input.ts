/**
 * Conv2DBackpropInput for the wasm backend through XNNPACK. tfjs' own wasm kernel is a plain loop, several times
 * slower than its XNNPACK forward conv, and it was the largest cost of a training step. The input gradient of
 *   y[n, u, v, co] = Σ_{i,j,ci} xPadded[n, u·s + i, v·s + j, ci] · W[i, j, ci, co]
 * is a stride-1 correlation of dy against W rotated by 180° with its in/out axes swapped, padded by (k-1-pad) at the
 * top/left: for stride 1 literally, as one XNNPACK conv. For stride s, dy would need s-1 zeros between its rows and
 * columns, making the conv s² times dearer than its forward; instead each of the s² output phases (rows ≡ r, columns
 * ≡ q mod s) is its own stride-1 conv of dy with the taps of the rotated filter that land on that phase, and a wasm
 * kernel interleaves the phases into dx. Same multiply-adds as the forward conv.
 */
import * as tf from '@tensorflow/tfjs';
import { convLayouts } from './conv-layouts/kernels';
import { asWasmBackend, f32, heapOffset, release, runWasmKernel, type ConvGradAttrs, type KernelParams, type WasmBackendLike } from './wasm-backend';

interface BackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Strided case. In one dimension, with xp the padded input, dxp[v·s + r] = Σ_m dy[v - m] · w[r + m·s]: for phase r
 * a full correlation of dy with the phase's taps reversed, which in the already-rotated filter F (F[i] = w[k-1-i]) are
 * F[b_r + m·s], b_r = k-1-r-(k_r-1)·s, k_r = ceil((k-r)/s), m < k_r.
 */
function polyphaseBackpropInput(
  dy: tf.TensorInfo,
  flipped: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  backend: WasmBackendLike,
): tf.TensorInfo {
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, batchSize: n, inChannels: ci } = info;
  const { filterHeight: kh, filterWidth: kw, outChannels: co } = info;
  const { top, left } = info.padInfo;
  const [, oh, ow] = dy.shape;
  const dx = backend.makeOutput([n, h, w, ci], 'float32');
  f32(backend, dx).fill(0);
  for (let r = 0; r < sh; r++) {
    const kr = Math.ceil((kh - r) / sh);
    if (kr <= 0) continue;
    for (let q = 0; q < sw; q++) {
      const kq = Math.ceil((kw - q) / sw);
      if (kq <= 0) continue;
      const br = kh - 1 - r - (kr - 1) * sh;
      const bq = kw - 1 - q - (kq - 1) * sw;
      // The phase's sub-filter [kr, kq, co, ci], taken from the rotated filter [kh, kw, co, ci].
      const sub = backend.makeOutput([kr, kq, co, ci], 'float32');
      const subValues = f32(backend, sub);
      const full = f32(backend, flipped);
      const tap = co * ci;
      for (let a = 0; a < kr; a++) {
        for (let b = 0; b < kq; b++) {
          const from = ((br + a * sh) * kw + (bq + b * sw)) * tap;
          subValues.set(full.subarray(from, from + tap), (a * kq + b) * tap);
        }
      }
      const phase = runWasmKernel(
        'Conv2D',
        { x: dy, filter: sub },
        {
          strides: [1, 1],
          pad: [[0, 0], [kr - 1, kr - 1], [kq - 1, kq - 1], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: null,
        } as unknown as tf.NamedAttrMap,
        backend,
      ); // [n, oh + kr - 1, ow + kq - 1, ci]: dxp at rows v·sh + r, columns u·sw + q
      convLayouts(backend).scatterPhase(heapOffset(backend, phase), heapOffset(backend, dx), n, oh + kr - 1, ow + kq - 1, ci, h, w, sh, sw, r, q, top, left);
      release(backend, sub, phase);
    }
  }
  return dx;
}

/**
 * The filter rotated by 180° with in/out swapped, [kh, kw, co, ci], by our wasm kernel: tfjs' wasm Reverse alone took
 * 3.3 ms for a 3x3 128→128 filter, more than the conv it feeds.
 */
function rotatedFilter(filter: tf.TensorInfo, backend: WasmBackendLike): tf.TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  convLayouts(backend).rotateFilter(heapOffset(backend, filter), heapOffset(backend, out), kh, kw, ci, co);
  return out;
}

function conv2dBackpropInput({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo {
  const backend = asWasmBackend(kernelBackend);
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
  if (dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;

  const flipped = rotatedFilter(filter, backend);
  if (sh > 1 || sw > 1) {
    const dx = polyphaseBackpropInput(dy, flipped, info, backend);
    release(backend, flipped);
    return dx;
  }

  // Stride 1: one conv, padded by k-1-pad in front and so that the output is exactly h x w.
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  const padBottom = h + kh - 1 - padTop - dy.shape[1];
  const padRight = w + kw - 1 - padLeft - dy.shape[2];
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) {
    release(backend, flipped);
    throw new Error(`wasm Conv2DBackpropInput: padding larger than the kernel (${JSON.stringify(info.padInfo)})`);
  }
  const dx = runWasmKernel(
    'Conv2D',
    { x: dy, filter: flipped },
    {
      strides: [1, 1],
      pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: null,
    } as unknown as tf.NamedAttrMap,
    backend,
  );
  release(backend, flipped);
  return dx;
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
