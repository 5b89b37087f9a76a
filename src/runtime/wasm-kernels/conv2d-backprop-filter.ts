/**
 * Conv2DBackpropFilter for the wasm backend, which has none. The filter gradient of an NHWC conv,
 *   dW[i, j, ci, co] = Σ_{n, y, x} xPadded[n, y·s + i, x·s + j, ci] · dy[n, y, x, co],
 * is itself a convolution: take x with batch and channel axes swapped (`[ci, H, W, n]`) as the input and dy laid out
 * as a filter (`[oh, ow, n, co]`), dilated by the forward stride. Its output `[ci, ≥kh, ≥kw, co]` is cropped to the
 * kernel size and transposed to HWIO. XNNPACK then does the heavy lifting.
 * That trick feeds XNNPACK only n (the batch) channels per filter tap, which its GEMM handles poorly. So when the
 * patch matrix fits in memory we use im2col instead: patches [kh·kw·ci, positions] (written by our wasm kernel,
 * conv-layouts/, from x transposed to [ci, n, H, W]) times dy as [positions, co], one untransposed matmul (XNNPACK's
 * fast path; tfjs' wasm matmul with transposeA was 2–15x slower). Timings: src/bench/wasm-kernels-bench.ts,
 * docs/performance.md.
 */
import * as tf from '@tensorflow/tfjs';
import { convLayouts } from './conv-layouts/kernels';
import { asWasmBackend, heapOffset, release, runWasmKernel, type ConvGradAttrs, type KernelParams, type WasmBackendLike } from './wasm-backend';

interface BackpropFilterAttrs extends ConvGradAttrs {
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
  if (kh * kw * ci * dy.shape[0] * dy.shape[1] * dy.shape[2] <= filterGradTuning.im2colMaxElements) {
    return im2colFilterGrad(x, dy, info, backend);
  }

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

/** Largest patch matrix (floats) im2col may allocate (32M floats = 128 MB); bigger convs use the conv trick. Tests lower it. */
export const filterGradTuning = { im2colMaxElements: 32 * 2 ** 20 };

function im2colFilterGrad(x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, backend: WasmBackendLike): tf.TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const positions = n * oh * ow;
  const xT = runWasmKernel('Transpose', { x }, { perm: [3, 0, 1, 2] }, backend); // [ci, n, h, w]
  const dyRows = runWasmKernel('Reshape', { x: dy }, { shape: [1, positions, co] }, backend);
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && top === 0 && left === 0) {
    // 1x1, stride 1, no padding: the patch matrix is x transposed.
    const patches = runWasmKernel('Reshape', { x: xT }, { shape: [1, ci, positions] }, backend);
    const product = runWasmKernel('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false }, backend);
    const dw = runWasmKernel('Reshape', { x: product }, { shape: [kh, kw, ci, co] }, backend);
    release(backend, xT, patches, dyRows, product);
    return dw;
  }
  const patches = backend.makeOutput([1, kh * kw * ci, positions], 'float32');
  convLayouts(backend).patchesFromPlanes(
    heapOffset(backend, xT), heapOffset(backend, patches), n, h, w, ci, kh, kw, oh, ow, sh, sw, top, left,
  );
  release(backend, xT);
  const product = runWasmKernel('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false }, backend);
  const dw = runWasmKernel('Reshape', { x: product }, { shape: [kh, kw, ci, co] }, backend);
  release(backend, patches, dyRows, product);
  return dw;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
