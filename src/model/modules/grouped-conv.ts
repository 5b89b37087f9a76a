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
 * step), and at these models' sizes the packing costs about as much as the conv. With our direct SIMD kernel where it
 * pays (ownDenseKernelPays), ResNet-50's training step took 146 vs 182 ms at scale n 4×128², 498 vs 557 ms at
 * 16×128², and 5.19 vs 5.30 s at scale l 2×256² (medians of interleaved steps; docs/performance.md). In eval the
 * weights stay put, XNNPACK keeps its packed filter, and it wins.
 */
const OWN_KERNEL_FOR_DENSE_TRAINING = new Set(['wasm']);

/**
 * Our direct kernel reads the whole filter once per 4 output pixels, so it is fast while the filter stays in a core's
 * L2 cache (≤ 128k weights, 512 KB); a larger filter pays only on small outputs, where XNNPACK's per-call packing
 * dominates its time. Fitted on ResNet-50's convs at scale n (every conv qualifies, the biggest being 3x3 128→256 on
 * 4×4 maps) and at scale l, 2×256², where the 3x3 convs of 256+ channels ran 2–5× slower on our kernel.
 */
function ownDenseKernelPays(xShape: number[], filterShape: number[], stride: number): boolean {
  const [n, h, w] = xShape;
  const [kh, kw, ci, co] = filterShape;
  const weights = kh * kw * ci * co;
  const positions = n * Math.ceil(h / stride) * Math.ceil(w / stride);
  // The kernel works on copies in its own memory: past 8M floats (32 MB) a tensor stays on XNNPACK, so the seed's
  // 640 px runs do not double their biggest activations.
  if (n * h * w * ci > COPY_LIMIT || positions * co > COPY_LIMIT) return false;
  return weights <= 128 * 1024 || (weights <= 512 * 1024 && positions <= 256);
}

const COPY_LIMIT = 8 * 2 ** 20;

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
    const own =
      training &&
      strategy === 'kernel' &&
      OWN_KERNEL_FOR_DENSE_TRAINING.has(tf.getBackend()) &&
      ownDenseKernelPays(x.shape, filter.shape, stride) &&
      hasGroupedConvKernel();
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
