/**
 * The contract between the grouped-conv op (grouped-conv.ts) and the backends that implement it as one kernel
 * (wasm: src/runtime/wasm-kernels/grouped-conv; webgpu: src/runtime/webgpu-kernels/grouped-conv). A file of its own so
 * that the backends' kernels and the op can import it without importing each other.
 */

/** Kernel names of the grouped conv and its gradients, for backends that implement it. */
export const GROUPED_CONV2D = 'LabGroupedConv2D';
export const GROUPED_CONV2D_BACKPROP_INPUT = 'LabGroupedConv2DBackpropInput';
export const GROUPED_CONV2D_BACKPROP_FILTER = 'LabGroupedConv2DBackpropFilter';

/**
 * Attributes of the three kernels. Inputs: {x, filter}, {dy, filter} and {x, dy}; all NHWC / HWIO float32, filter
 * [kh, kw, in/groups, out]. Output channel o belongs to group floor(o / (out/groups)).
 */
export interface GroupedConvAttrs {
  stride: number;
  /** [top, bottom, left, right]. */
  pad: [number, number, number, number];
  groups: number;
  /** The backprop-input kernel's output shape (x's). */
  inputShape?: number[];
  /** The backprop-filter kernel's output shape (the filter's). */
  filterShape?: number[];
}

/** The forward kernel's output shape [n, oh, ow, out] for x [n, h, w, in] and filter [kh, kw, in/groups, out]. */
export function groupedConvOutputShape(xShape: number[], filterShape: number[], attrs: GroupedConvAttrs): number[] {
  const [n, h, w] = xShape;
  const [kh, kw, , out] = filterShape;
  const [top, bottom, left, right] = attrs.pad;
  const oh = Math.floor((h + top + bottom - kh) / attrs.stride) + 1;
  const ow = Math.floor((w + left + right - kw) / attrs.stride) + 1;
  return [n, oh, ow, out];
}

/** Throws when x's channels, the filter and groups disagree: the kernels index channels by group arithmetic alone. */
export function checkGroupedConvShapes(xShape: number[], filterShape: number[], groups: number): void {
  const cin = xShape[3];
  const [, , inPerGroup, cout] = filterShape;
  if (cin !== groups * inPerGroup || cout % groups !== 0) {
    throw new Error(`grouped conv: input channels ${cin}, filter ${filterShape.join('x')} and groups ${groups} disagree`);
  }
}
