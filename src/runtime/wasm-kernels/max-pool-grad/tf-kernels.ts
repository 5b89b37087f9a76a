/**
 * MaxPoolGrad for the wasm backend. tfjs-backend-wasm's own kernel starts its running max at the smallest positive
 * float instead of -∞, so a window whose values are all ≤ 0 (common after BN and Mish) routes no gradient at all.
 * This one matches the cpu backend: the gradient goes to the first maximum of each window, in row-major order. The
 * loop is our wasm kernel on tfjs' heap (assembly/kernels.ts); as JavaScript it cost 4 ms of a ResNet-50 n step.
 */
import * as tf from '@tensorflow/tfjs';
import { heapModule } from '../heap-module';
import { asWasmBackend, heapMemory, heapOffset, release, type KernelParams } from '../wasm-backend';
import * as bytes from './kernels.wasm';

interface MaxPoolGradExports {
  maxPoolGrad(
    x: number, dy: number, dx: number, n: number, h: number, w: number, channels: number, oh: number, ow: number,
    sh: number, sw: number, fh: number, fw: number, top: number, left: number, best: number, bestAt: number,
  ): void;
}

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
  const scratch = backend.makeOutput([2 * channels], 'float32'); // best values, then their indices (int32)
  const at = heapOffset(backend, scratch);
  heapModule<MaxPoolGradExports>(bytes, heapMemory(backend)).maxPoolGrad(
    heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, dxInfo), batchSize, inHeight, inWidth, channels,
    outHeight, outWidth, strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth, top, left, at, at + 4 * channels,
  );
  release(backend, scratch);
  return dxInfo;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
