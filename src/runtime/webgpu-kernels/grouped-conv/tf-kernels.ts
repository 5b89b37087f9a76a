/**
 * The webgpu backend's GroupedConv2D and its two gradient kernels (the op and its gradient live in
 * src/model/modules/grouped-conv.ts), each one dispatch, where 'split' runs `groups` convs plus slices and a concat:
 * forward and dx one invocation per output (programs.ts), dW the tiled filter gradient (../tiled-conv, groups in z)
 * where a group has at least TILED_FILTER_GRAD_MIN_COLS output channels, else one invocation per weight.
 */
import * as tf from '@tensorflow/tfjs';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  checkGroupedConvShapes,
  groupedConvOutputShape,
  type GroupedConvAttrs,
} from '../../../model/modules/grouped-conv-kernel';
import { TILED_FILTER_GRAD_MIN_COLS, tiledFilterGradProgram, type ConvGeometry } from '../tiled-conv/programs';
import { runConvProgram } from '../tiled-conv/tf-kernels';
import { groupedConvBackpropFilterProgram, groupedConvBackpropInputProgram, groupedConvForwardProgram } from './programs';

interface KernelParams {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}

/** The geometry uniforms, once x's channels, the filter and groups are known to agree. */
function checkedGeometry(xShape: number[], filterShape: number[], attrs: GroupedConvAttrs): ConvGeometry {
  checkGroupedConvShapes(xShape, filterShape, attrs.groups);
  return { pad: { top: attrs.pad[0], left: attrs.pad[2] }, stride: [attrs.stride, attrs.stride], groups: attrs.groups };
}

function forward({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const geometry = checkedGeometry(x.shape, filter.shape, a);
  return runConvProgram(backend, groupedConvForwardProgram(groupedConvOutputShape(x.shape, filter.shape, a)), [x, filter], geometry);
}

function backpropInput({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const geometry = checkedGeometry(a.inputShape!, filter.shape, a);
  return runConvProgram(backend, groupedConvBackpropInputProgram(a.inputShape!), [dy, filter], geometry);
}

function backpropFilter({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const geometry = checkedGeometry(x.shape, a.filterShape!, a);
  const perGroup = a.filterShape![3] / a.groups;
  const program = perGroup >= TILED_FILTER_GRAD_MIN_COLS ? tiledFilterGradProgram(a.filterShape!, a.groups) : groupedConvBackpropFilterProgram(a.filterShape!);
  return runConvProgram(backend, program, [x, dy], geometry);
}

export const groupedConvKernelConfigs: tf.KernelConfig[] = [
  { kernelName: GROUPED_CONV2D, backendName: 'webgpu', kernelFunc: forward as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_INPUT, backendName: 'webgpu', kernelFunc: backpropInput as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_FILTER, backendName: 'webgpu', kernelFunc: backpropFilter as tf.KernelFunc },
];
