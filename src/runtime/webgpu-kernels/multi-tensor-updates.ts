/**
 * The webgpu backend's multi-tensor optimizer and EMA updates (contract: src/train/update-kernels.ts). Each packs its
 * tensors into flat buffers by copies (flat-buffers.ts), runs ONE program over every element, and copies the result
 * out into fresh tensors: one dispatch per update where the per-tensor path runs 8 (SGD) or 3 (EMA) per tensor, and
 * one for the gradient accumulator's sums (1 per tensor).
 * The results are new tensors, never written in place, since a variable may share its buffer with other tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  EMA_MULTI_UPDATE,
  inputList,
  MULTI_ADD,
  type MultiAddAttrs,
  SGD_NESTEROV_MULTI_UPDATE,
  type EmaMultiUpdateAttrs,
  type SgdMultiUpdateAttrs,
} from '../../train/update-kernels';
import { flatOffsets, packFlat, unpackFlat } from './flat-buffers';

const WORKGROUP_SIZE = 64;

type KernelParams = Parameters<tf.KernelFunc>[0];
type Uniforms = Array<{ type: 'int32' | 'float32'; data: number[] }>;

/** A flat program: one invocation per element `index < uniforms.count`, writing through setOutputAtIndex. */
function flatProgram(shaderKey: string, variableNames: string[], outputSize: number, count: number, uniforms: string, body: string): WebGPUProgram {
  return {
    shaderKey,
    variableNames,
    outputShape: [outputSize],
    uniforms: `count : i32, ${uniforms}`,
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    dispatchLayout: { x: [0] },
    // The backend reshapes this into 2-D or 3-D when it exceeds the per-dimension limit.
    dispatch: [Math.ceil(count / WORKGROUP_SIZE), 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.count) {
          return;
        }
        ${body}
      }`,
  };
}

/**
 * Nesterov SGD over the packed parameters p, gradients g and momenta v; the tensor an element belongs to is found by
 * binary search in segEnd (exclusive end offsets), and its lr and decay read from segCoef[2j], segCoef[2j + 1].
 * Output: p' in [0, count), v' in [count, 2·count).
 */
function sgdProgram(count: number): WebGPUProgram {
  return flatProgram('LabSgdNesterovMulti', ['p', 'g', 'v', 'segEnd', 'segCoef'], 2 * count, count, 'mu : f32, segments : i32,', `
        var lo = 0;
        var hi = uniforms.segments - 1;
        while (lo < hi) {
          let mid = (lo + hi) / 2;
          if (index < segEnd[mid]) { hi = mid; } else { lo = mid + 1; }
        }
        let lr = segCoef[2 * lo];
        let d = g[index] + segCoef[2 * lo + 1] * p[index];
        let vi = uniforms.mu * v[index] + d;
        setOutputAtIndex(index, p[index] - lr * (d + uniforms.mu * vi));
        setOutputAtIndex(index + uniforms.count, vi);`);
}

function emaProgram(count: number): WebGPUProgram {
  return flatProgram('LabEmaMulti', ['e', 's'], count, count, 'decay : f32,', `
        setOutputAtIndex(index, uniforms.decay * e[index] + (1.0 - uniforms.decay) * s[index]);`);
}

function addProgram(count: number): WebGPUProgram {
  return flatProgram('LabMultiAdd', ['a', 'b'], count, count, '', `
        setOutputAtIndex(index, a[index] + b[index]);`);
}

function multiAdd({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = backend as WebGPUBackend;
  const { count } = attrs as unknown as MultiAddAttrs;
  if (count === 0) return [];
  const lists = ['a', 'b'].map((key) => inputList(inputs, key, count));
  const shapes = lists[0].map((t) => t.shape);
  const { total } = flatOffsets(shapes);
  const packed = lists.map((list) => packFlat(b, list));
  const out = b.runWebGPUProgram(addProgram(total), packed, 'float32', [{ type: 'int32', data: [total] }]);
  const results = unpackFlat(b, out, shapes);
  for (const info of [...packed, out]) b.disposeData(info.dataId);
  return results;
}

function sgdMultiUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = backend as WebGPUBackend;
  const { lrs, weightDecays, momentum } = attrs as unknown as SgdMultiUpdateAttrs;
  const n = lrs.length;
  if (n === 0) return [];
  const [params, momenta, grads] = ['param', 'momentum', 'grad'].map((key) => inputList(inputs, key, n));
  const shapes = params.map((p) => p.shape);
  const { offsets, total } = flatOffsets(shapes);
  const ends = Int32Array.from(offsets.slice(1).concat(total));
  const coefs = Float32Array.from(lrs.flatMap((lr, j) => [lr, weightDecays[j]]));
  const segEnd = b.makeTensorInfo([n], 'int32', ends);
  const segCoef = b.makeTensorInfo([2 * n], 'float32', coefs);
  const packed = [params, grads, momenta].map((list) => packFlat(b, list));
  const uniforms: Uniforms = [
    { type: 'int32', data: [total] },
    { type: 'float32', data: [momentum] },
    { type: 'int32', data: [n] },
  ];
  const out = b.runWebGPUProgram(sgdProgram(total), [...packed, segEnd, segCoef], 'float32', uniforms);
  const results = [...unpackFlat(b, out, shapes), ...unpackFlat(b, out, shapes, total)];
  for (const info of [...packed, segEnd, segCoef, out]) b.disposeData(info.dataId);
  return results;
}

function emaMultiUpdate({ inputs, attrs, backend }: KernelParams): tf.TensorInfo[] {
  const b = backend as WebGPUBackend;
  const { decay, count } = attrs as unknown as EmaMultiUpdateAttrs;
  if (count === 0) return [];
  const emas = inputList(inputs, 'ema', count);
  const sources = inputList(inputs, 'source', count);
  const shapes = emas.map((e) => e.shape);
  const { total } = flatOffsets(shapes);
  const packed = [emas, sources].map((list) => packFlat(b, list));
  const uniforms: Uniforms = [
    { type: 'int32', data: [total] },
    { type: 'float32', data: [decay] },
  ];
  const out = b.runWebGPUProgram(emaProgram(total), packed, 'float32', uniforms);
  const results = unpackFlat(b, out, shapes);
  for (const info of [...packed, out]) b.disposeData(info.dataId);
  return results;
}

export const multiTensorUpdateKernelConfigs: tf.KernelConfig[] = [
  { kernelName: SGD_NESTEROV_MULTI_UPDATE, backendName: 'webgpu', kernelFunc: sgdMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: EMA_MULTI_UPDATE, backendName: 'webgpu', kernelFunc: emaMultiUpdate as unknown as tf.KernelFunc },
  { kernelName: MULTI_ADD, backendName: 'webgpu', kernelFunc: multiAdd as unknown as tf.KernelFunc },
];
