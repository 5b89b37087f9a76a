/**
 * Conv2DBackpropFilter for the wasm backend, which has none. The filter gradient of an NHWC conv,
 *   dW[i, j, ci, co] = Σ_{n, y, x} xPadded[n, y·s + i, x·s + j, ci] · dy[n, y, x, co],
 * is itself a convolution: take x with batch and channel axes swapped (`[ci, H, W, n]`) as the input and dy laid out
 * as a filter (`[oh, ow, n, co]`), dilated by the forward stride. Its output `[ci, ≥kh, ≥kw, co]` is cropped to the
 * kernel size and transposed to HWIO. XNNPACK then does the heavy lifting.
 * (For 1x1 convs, xᵀ·dy as one BatchMatMul looks cheaper but was 2–15x slower than this on tfjs' wasm matmul; see
 * tests/bench/wasm-kernels-bench.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, release, runWasmKernel, type KernelParams } from './wasm-backend';

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo {
  const backend = asWasmBackend(kernelBackend);
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as BackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');

  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw, ci, co] = filterShape;

  const xT = runWasmKernel('Transpose', { x }, { perm: [3, 1, 2, 0] }, backend); // [ci, H, W, n]
  const dyT = runWasmKernel('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend); // [oh, ow, n, co]
  const full = runWasmKernel(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: null,
    } as unknown as tf.NamedAttrMap,
    backend,
  ); // [ci, ≥kh, ≥kw, co]
  release(backend, xT, dyT);

  let cropped = full;
  if (full.shape[1] !== kh || full.shape[2] !== kw) {
    cropped = runWasmKernel('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }, backend);
    release(backend, full);
  }
  const dw = runWasmKernel('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }, backend); // [kh, kw, ci, co]
  release(backend, cropped);
  return dw;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
