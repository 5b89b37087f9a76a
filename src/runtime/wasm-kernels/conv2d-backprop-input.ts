/**
 * Conv2DBackpropInput for the wasm backend through XNNPACK. tfjs' own wasm kernel is a plain loop, several times
 * slower than its XNNPACK forward conv, and it was the largest cost of a training step. The input gradient of
 *   y[n, u, v, co] = Σ_{i,j,ci} xPadded[n, u·s + i, v·s + j, ci] · W[i, j, ci, co]
 * is a stride-1 correlation of dy, with s-1 zeros inserted between its rows and columns, against W rotated by 180°
 * with its in/out axes swapped, padded by (k-1-pad) at the top/left. Zero insertion costs s² more multiply-adds on
 * strided convs (a few downsampling layers); stride-1 convs, the bulk of the models, cost the same as their forward.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, release, runWasmKernel, type KernelParams, type WasmBackendLike } from './wasm-backend';

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** [n, oh, ow, c] → [n, oh·sh, ow·sw, c] with dy at (u·sh, v·sw) and zeros elsewhere (rank ≤ 4 pads only). */
function insertZeros(dy: tf.TensorInfo, sh: number, sw: number, backend: WasmBackendLike): tf.TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  const reshape = (x: tf.TensorInfo, shape: number[]) => runWasmKernel('Reshape', { x }, { shape }, backend);
  const pad = (x: tf.TensorInfo, paddings: number[][]) =>
    runWasmKernel('PadV2', { x }, { paddings, constantValue: 0 } as unknown as tf.NamedAttrMap, backend);
  let current = dy;
  const steps: tf.TensorInfo[] = [];
  if (sw > 1) {
    const a = reshape(current, [n * oh, ow, 1, c]);
    const b = pad(a, [[0, 0], [0, 0], [0, sw - 1], [0, 0]]);
    steps.push(a, b);
    current = b;
  }
  if (sh > 1) {
    const a = reshape(current, [n * oh, 1, ow * sw * c]);
    const b = pad(a, [[0, 0], [0, sh - 1], [0, 0]]);
    steps.push(a, b);
    current = b;
  }
  const out = reshape(current, [n, oh * sh, ow * sw, c]);
  release(backend, ...steps);
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

  // Flipped filter with in/out swapped: [kh, kw, co, ci].
  const reversed = runWasmKernel('Reverse', { x: filter }, { dims: [0, 1] }, backend);
  const flipped = runWasmKernel('Transpose', { x: reversed }, { perm: [0, 1, 3, 2] }, backend);
  release(backend, reversed);

  let dilated = sh > 1 || sw > 1 ? insertZeros(dy, sh, sw, backend) : dy;
  // Leading pad k-1-pad; trailing pad so the output is exactly h x w. The zero insertion leaves s-1 zero rows at the
  // end, so the trailing pad can come out negative: then drop that many (all-zero) rows instead.
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  let padBottom = h + kh - 1 - padTop - dilated.shape[1];
  let padRight = w + kw - 1 - padLeft - dilated.shape[2];
  if (padTop < 0 || padLeft < 0) throw new Error(`wasm Conv2DBackpropInput: padding larger than the kernel (${top}, ${left})`);
  if (padBottom < 0 || padRight < 0) {
    const [n, dh, dw, c] = dilated.shape;
    const cropped = runWasmKernel('Slice', { x: dilated }, { begin: [0, 0, 0, 0], size: [n, dh + Math.min(0, padBottom), dw + Math.min(0, padRight), c] }, backend);
    if (dilated !== dy) release(backend, dilated);
    dilated = cropped;
    padBottom = Math.max(0, padBottom);
    padRight = Math.max(0, padRight);
  }
  const dx = runWasmKernel(
    'Conv2D',
    { x: dilated, filter: flipped },
    {
      strides: [1, 1],
      pad: [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: null,
    } as unknown as tf.NamedAttrMap,
    backend,
  );
  if (dilated !== dy) release(backend, dilated);
  release(backend, flipped);
  return dx;
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
