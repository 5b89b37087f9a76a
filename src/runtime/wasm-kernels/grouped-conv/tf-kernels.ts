/**
 * The wasm backend's GroupedConv2D and its two gradient kernels (the op and its gradient live in
 * src/model/modules/grouped-conv.ts), run by our SIMD kernels (kernels.ts). They read and write tfjs' heap through
 * views, so no engine readback happens.
 */
import * as tf from '@tensorflow/tfjs';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  checkGroupedConvShapes,
  type GroupedConvAttrs,
} from '../../../model/modules/grouped-conv-kernel';
import { asWasmBackend, f32, type KernelParams } from '../wasm-backend';
import { groupedConvBackpropFilter, groupedConvBackpropInput, groupedConvForward, outputSize, type GroupedConvGeometry } from './kernels';

function geometry(xShape: number[], filterShape: number[], attrs: GroupedConvAttrs): GroupedConvGeometry {
  checkGroupedConvShapes(xShape, filterShape, attrs.groups);
  const [n, h, w] = xShape;
  const [kh, kw, cig, cout] = filterShape;
  const { groups, stride, pad } = attrs;
  return { n, h, w, groups, cig, cog: cout / groups, kh, kw, stride, pad };
}

function forward({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const g = geometry(x.shape, filter.shape, attrs as unknown as GroupedConvAttrs);
  const { oh, ow } = outputSize(g);
  const y = b.makeOutput([g.n, oh, ow, filter.shape[3]], 'float32');
  // Views after the last allocation (makeOutput may grow the heap and detach earlier ones).
  groupedConvForward(f32(b, x), f32(b, filter), f32(b, y), g);
  return y;
}

function backpropInput({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const g = geometry(a.inputShape!, filter.shape, a);
  const dx = b.makeOutput(a.inputShape!, 'float32');
  groupedConvBackpropInput(f32(b, dy), f32(b, filter), f32(b, dx), g);
  return dx;
}

function backpropFilter({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const g = geometry(x.shape, a.filterShape!, a);
  const dw = b.makeOutput(a.filterShape!, 'float32');
  groupedConvBackpropFilter(f32(b, x), f32(b, dy), f32(b, dw), g);
  return dw;
}

export const groupedConvKernelConfigs: tf.KernelConfig[] = [
  { kernelName: GROUPED_CONV2D, backendName: 'wasm', kernelFunc: forward as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_INPUT, backendName: 'wasm', kernelFunc: backpropInput as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_FILTER, backendName: 'wasm', kernelFunc: backpropFilter as tf.KernelFunc },
];
