/**
 * tfjs' Conv2DBackpropFilter on webgpu, replaced by the tiled program (program.ts) for what our models run (NHWC,
 * no dilation); anything else goes to the kernel tfjs registered, kept here.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { filterGradUniforms, tiledFilterGradProgram } from './program';

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Runs the tiled program for x [n, h, w, cin], dy [n, oh, ow, cout] into a filter of `filterShape`. */
export function runTiledFilterGrad(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: number[],
  geometry: { pad: { top: number; left: number }; stride: [number, number]; groups: number },
): tf.TensorInfo {
  const uniforms = filterGradUniforms(geometry.pad, geometry.stride, geometry.groups);
  return (backend as WebGPUBackend).runWebGPUProgram(tiledFilterGradProgram(filterShape, geometry.groups), [x, dy], 'float32', uniforms);
}

/** The config that replaces tfjs' kernel; `original` is the one tfjs registered (for NCHW or dilated convs). */
export function tiledConv2dBackpropFilterConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'webgpu',
    kernelFunc: (params) => {
      const { x, dy } = params.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = params.attrs as unknown as FilterGradAttrs;
      if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') return original.kernelFunc(params);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      return runTiledFilterGrad(params.backend as tf.KernelBackend, x, dy, attrs.filterShape, {
        pad: { top: info.padInfo.top, left: info.padInfo.left },
        stride: [info.strideHeight, info.strideWidth],
        groups: 1,
      });
    },
  };
}
