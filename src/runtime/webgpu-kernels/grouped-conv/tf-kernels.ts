/**
 * The webgpu backend's GroupedConv2D and its two gradient kernels (the op and its gradient live in
 * src/model/modules/grouped-conv.ts), each one dispatch of a WGSL program (programs.ts), where 'split' runs
 * `groups` convs plus slices and a concat.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  checkGroupedConvShapes,
  groupedConvOutputShape,
  type GroupedConvAttrs,
} from '../../../model/modules/grouped-conv-kernel';
import { runTiledFilterGrad } from '../conv-filter-grad/tf-kernels';
import {
  groupedConvBackpropInputProgram,
  groupedConvForwardProgram,
  groupedConvUniforms,
  type ProgramUniforms,
} from './programs';

interface KernelParams {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: tf.KernelBackend;
}

function checkedUniforms(xShape: number[], filterShape: number[], attrs: GroupedConvAttrs): ProgramUniforms {
  checkGroupedConvShapes(xShape, filterShape, attrs.groups);
  return groupedConvUniforms(attrs.pad[0], attrs.pad[2], attrs.stride, attrs.groups);
}

function run(backend: tf.KernelBackend, program: WebGPUProgram, inputs: tf.TensorInfo[], uniforms: ProgramUniforms) {
  return (backend as WebGPUBackend).runWebGPUProgram(program, inputs, 'float32', uniforms);
}

function forward({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const uniforms = checkedUniforms(x.shape, filter.shape, a);
  const outputShape = groupedConvOutputShape(x.shape, filter.shape, a);
  return run(backend, groupedConvForwardProgram(outputShape), [x, filter], uniforms);
}

function backpropInput({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const uniforms = checkedUniforms(a.inputShape!, filter.shape, a);
  return run(backend, groupedConvBackpropInputProgram(a.inputShape!), [dy, filter], uniforms);
}

/** The dense conv's tiled filter gradient, with the groups in the dispatch's z. */
function backpropFilter({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  checkGroupedConvShapes(x.shape, a.filterShape!, a.groups);
  return runTiledFilterGrad(backend, x, dy, a.filterShape!, { pad: { top: a.pad[0], left: a.pad[2] }, stride: [a.stride, a.stride], groups: a.groups });
}

export const groupedConvKernelConfigs: tf.KernelConfig[] = [
  { kernelName: GROUPED_CONV2D, backendName: 'webgpu', kernelFunc: forward as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_INPUT, backendName: 'webgpu', kernelFunc: backpropInput as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_FILTER, backendName: 'webgpu', kernelFunc: backpropFilter as tf.KernelFunc },
];
