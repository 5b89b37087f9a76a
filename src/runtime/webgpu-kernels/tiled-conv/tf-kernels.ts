/**
 * The tiled conv programs (programs.ts) as kernels: tfjs' Conv2DBackpropFilter on webgpu is replaced by the tiled
 * filter gradient for what our models run (NHWC float32); anything else goes to the kernel tfjs registered, kept.
 * The grouped conv's three kernels (../grouped-conv/tf-kernels.ts) run the same programs with their groups.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { TILED_FILTER_GRAD_MIN_COLS, convUniforms, tiledFilterGradProgram, type ConvGeometry } from './programs';

/** Runs a conv program (ours, tiled or not, all on CONV_UNIFORMS) on its two inputs with the conv's geometry. */
export function runConvProgram(backend: tf.KernelBackend, program: WebGPUProgram, inputs: [tf.TensorInfo, tf.TensorInfo], geometry: ConvGeometry): tf.TensorInfo {
  return (backend as WebGPUBackend).runWebGPUProgram(program, inputs, 'float32', convUniforms(geometry));
}

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** The config that replaces tfjs' kernel; `original` is the one tfjs registered (NCHW, non-float, few output channels). */
export function tiledConv2dBackpropFilterConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'webgpu',
    kernelFunc: (params) => {
      const { x, dy } = params.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = params.attrs as unknown as FilterGradAttrs;
      if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || attrs.filterShape[3] < TILED_FILTER_GRAD_MIN_COLS) return original.kernelFunc(params);
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      return runConvProgram(params.backend as tf.KernelBackend, tiledFilterGradProgram(attrs.filterShape, 1), [x, dy], {
        pad: { top: info.padInfo.top, left: info.padInfo.left },
        stride: [info.strideHeight, info.strideWidth],
        groups: 1,
      });
    },
  };
}
