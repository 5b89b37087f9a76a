/**
 * The wasm backend's GroupedConv2D and its two gradient kernels (the op and its gradient live in
 * src/model/modules/grouped-conv.ts), run by our SIMD kernels (kernels.ts) on tfjs' heap in place, so nothing is
 * copied and no engine readback happens.
 */
import * as tf from '@tensorflow/tfjs';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  checkGroupedConvShapes,
  type GroupedConvAttrs,
} from '../../../model/modules/grouped-conv-kernel';
import { asWasmBackend, heapMemory, heapOffset, release, type KernelParams, type WasmBackendLike } from '../wasm-backend';
import {
  groupedConvBackpropFilter,
  groupedConvBackpropInput,
  groupedConvForward,
  outputSize,
  type GroupedConvGeometry,
  type Scratch,
} from './kernels';

/** Scratch buffers as tfjs tensors of the backend, released together after the call. */
function tensorScratch(backend: WasmBackendLike): Scratch {
  const taken: tf.TensorInfo[] = [];
  return {
    memory: heapMemory(backend),
    alloc(floats) {
      const info = backend.makeOutput([Math.max(floats, 1)], 'float32');
      taken.push(info);
      return heapOffset(backend, info);
    },
    free: () => release(backend, ...taken.splice(0)),
  };
}

/** Runs a kernel with heap pointers and scratch space; the scratch is freed even when the kernel throws. */
function withScratch(backend: WasmBackendLike, run: (scratch: Scratch, at: (info: tf.TensorInfo) => number) => void): void {
  const scratch = tensorScratch(backend);
  try {
    run(scratch, (info) => heapOffset(backend, info));
  } finally {
    scratch.free();
  }
}

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
  withScratch(b, (scratch, at) => groupedConvForward(scratch, at(x), at(filter), at(y), g));
  return y;
}

function backpropInput({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const g = geometry(a.inputShape!, filter.shape, a);
  const dx = b.makeOutput(a.inputShape!, 'float32');
  withScratch(b, (scratch, at) => groupedConvBackpropInput(scratch, at(dy), at(filter), at(dx), g));
  return dx;
}

function backpropFilter({ inputs, attrs, backend }: KernelParams): tf.TensorInfo {
  const b = asWasmBackend(backend);
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as GroupedConvAttrs;
  const g = geometry(x.shape, a.filterShape!, a);
  const dw = b.makeOutput(a.filterShape!, 'float32');
  withScratch(b, (scratch, at) => groupedConvBackpropFilter(scratch, at(x), at(dy), at(dw), g));
  return dw;
}

export const groupedConvKernelConfigs: tf.KernelConfig[] = [
  { kernelName: GROUPED_CONV2D, backendName: 'wasm', kernelFunc: forward as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_INPUT, backendName: 'wasm', kernelFunc: backpropInput as tf.KernelFunc },
  { kernelName: GROUPED_CONV2D_BACKPROP_FILTER, backendName: 'wasm', kernelFunc: backpropFilter as tf.KernelFunc },
];
