/**
 * Grouped 2-D convolution, which tfjs lacks (ResNeXt's 3×3 has groups=32). Filters are HWIO with I = in/groups,
 * matching PyTorch's [out, in/groups, kh, kw] after the OIHW → HWIO transpose. Output channel o belongs to group
 * floor(o / (out/groups)), as in PyTorch.
 *
 * Three implementations:
 * - 'kernel':    the backend's own grouped-conv kernel, GroupedConv2D, with its two gradient kernels (the gradient is
 *                registered here). wasm: our WebAssembly SIMD kernels, src/runtime/wasm-kernels/grouped-conv; webgpu:
 *                our WGSL programs, src/runtime/webgpu-kernels/grouped-conv (one dispatch each). On a backend without
 *                them (cpu, webgl), 'kernel' runs 'split'. The default.
 * - 'split':     split input and filter into groups, one conv2d each, concat. `groups` kernels per call; every backend.
 * - 'depthwise': one depthwiseConv2d with channel multiplier out/groups, then a reshape and a sum over the group's
 *                inputs. Same multiply-adds, two kernels, but an intermediate in/groups times the output's size.
 * `npm run bench -- --grouped --no-models` times them (docs/performance.md, "Grouped convolution").
 */
import * as tf from '@tensorflow/tfjs';
import {
  GROUPED_CONV2D,
  GROUPED_CONV2D_BACKPROP_FILTER,
  GROUPED_CONV2D_BACKPROP_INPUT,
  type GroupedConvAttrs,
} from './grouped-conv-kernel';

export type GroupedConvStrategy = 'kernel' | 'split' | 'depthwise';

export type Padding = [[number, number], [number, number], [number, number], [number, number]];

export function symmetricPadding(p: number): Padding {
  return [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
}

/**
 * Backends whose GroupedConv2D kernel, run with one group, also beats their stock dense conv in TRAINING. On wasm the
 * stock conv is XNNPACK's, which packs the filter into its own layout on every call with new weights (every training
 * step), and at these models' sizes the packing costs about as much as the conv. With our direct SIMD kernel instead,
 * ResNet-50 scale n's training step took 142 vs 181 ms at 4×128² and 479 vs 532 ms at 16×128², yolov4-csp's 198 vs
 * 222 ms (medians of interleaved steps; docs/performance.md); limiting it to small feature maps was slower. In eval the
 * weights stay put, XNNPACK keeps its packed filter, and it wins.
 */
const OWN_KERNEL_FOR_DENSE_TRAINING = new Set(['wasm']);

export function groupedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
  pad: Padding,
  groups: number,
  strategy: GroupedConvStrategy = 'kernel',
  training = false,
): tf.Tensor4D {
  if (groups === 1) {
    const own = training && strategy === 'kernel' && OWN_KERNEL_FOR_DENSE_TRAINING.has(tf.getBackend()) && hasGroupedConvKernel();
    return own ? kernelConv(x, filter, stride, pad, 1) : (tf.conv2d(x, filter, stride, pad) as tf.Tensor4D);
  }
  if (strategy === 'depthwise') return depthwiseConv(x, filter, stride, pad, groups);
  if (strategy === 'kernel' && hasGroupedConvKernel()) return kernelConv(x, filter, stride, pad, groups);
  return splitConv(x, filter, stride, pad, groups);
}

/** Whether the active backend implements GroupedConv2D (then 'kernel' runs it rather than 'split'). */
export function hasGroupedConvKernel(): boolean {
  // The backends' kernels are registered when src/runtime/backend.ts starts them.
  return tf.getKernel(GROUPED_CONV2D, tf.getBackend()) !== undefined;
}

let gradientRegistered = false;

function kernelConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, pad: Padding, groups: number): tf.Tensor4D {
  if (!gradientRegistered) {
    tf.registerGradient({
      kernelName: GROUPED_CONV2D,
      inputsToSave: ['x', 'filter'],
      gradFunc: (dy, saved, attrs) => {
        const [xs, ws] = saved;
        const run = (name: string, inputs: tf.NamedTensorMap, extra: Partial<GroupedConvAttrs>) =>
          tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return {
          x: () => run(GROUPED_CONV2D_BACKPROP_INPUT, { dy: dy as tf.Tensor, filter: ws }, { inputShape: xs.shape }),
          filter: () => run(GROUPED_CONV2D_BACKPROP_FILTER, { x: xs, dy: dy as tf.Tensor }, { filterShape: ws.shape }),
        };
      },
    });
    gradientRegistered = true;
  }
  const attrs: GroupedConvAttrs = { stride, pad: [pad[1][0], pad[1][1], pad[2][0], pad[2][1]], groups };
  return tf.engine().runKernel(GROUPED_CONV2D, { x, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function splitConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, pad: Padding, groups: number): tf.Tensor4D {
  const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
  const ws = tf.split(filter, groups, 3) as tf.Tensor4D[];
  return tf.concat(
    xs.map((xi, g) => tf.conv2d(xi, ws[g], stride, pad)),
    3,
  );
}

function depthwiseConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, pad: Padding, groups: number): tf.Tensor4D {
  const [kh, kw, inPerGroup, out] = filter.shape;
  const outPerGroup = out / groups;
  // Depthwise filter [kh, kw, in, outPerGroup]: input channel g·inPerGroup+i feeds outputs g·outPerGroup+m with
  // weight filter[.., i, g·outPerGroup+m].
  const dwFilter = filter
    .reshape([kh, kw, inPerGroup, groups, outPerGroup])
    .transpose([0, 1, 3, 2, 4])
    .reshape([kh, kw, groups * inPerGroup, outPerGroup]) as tf.Tensor4D;
  // tfjs' depthwiseConv2d takes no explicit padding, so pad first and convolve 'valid'.
  const padded = tf.pad(x, pad);
  const y = tf.depthwiseConv2d(padded, dwFilter, stride, 'valid');
  const [n, h, w] = y.shape;
  return y.reshape([n * h * w * groups, inPerGroup, outPerGroup]).sum(1).reshape([n, h, w, out]) as tf.Tensor4D;
}
