/**
 * MaxPool for the wasm backend that honours ceil rounding. tfjs-backend-wasm hands XNNPACK the padding but not the
 * rounding mode, so XNNPACK computes the floor-mode size and leaves the extra ceil-mode row and column uninitialised.
 * Here such inputs are padded at the bottom/right with -∞ (which never wins a max) up to the ceil-mode extent, and the
 * stock kernel pools that with no padding.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, release, runWasmKernel, type KernelParams } from './wasm-backend';

interface MaxPoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Wraps the stock wasm MaxPool kernel (captured before ours replaces it). */
export function maxPoolCeilConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend: kernelBackend }: KernelParams): tf.TensorInfo | tf.TensorInfo[] => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolAttrs;
    if (dimRoundingMode === undefined || dimRoundingMode === 'floor' || typeof pad === 'string') {
      return stock.kernelFunc({ inputs, attrs, backend: kernelBackend });
    }
    const backend = asWasmBackend(kernelBackend);
    const shape = x.shape as [number, number, number, number];
    const info = tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
    const { top, left } = info.padInfo;
    // Rows/columns the last window reaches, beyond the input plus its leading padding.
    const bottom = Math.max(0, (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - top - shape[1]);
    const right = Math.max(0, (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - left - shape[2]);
    const padded = runWasmKernel(
      'PadV2',
      { x },
      { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: -Infinity } as unknown as tf.NamedAttrMap,
      backend,
    );
    const out = stock.kernelFunc({
      inputs: { x: padded },
      attrs: { filterSize, strides, pad: 'valid' } as unknown as tf.NamedAttrMap,
      backend: kernelBackend,
    });
    release(backend, padded);
    return out;
  };
  return { ...stock, kernelFunc };
}
