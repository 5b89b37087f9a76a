/**
 * Grouped 2-D convolution, which tfjs lacks (ResNeXt's 3×3 has groups=32). Filters are HWIO with I = in/groups,
 * matching PyTorch's [out, in/groups, kh, kw] after the OIHW → HWIO transpose. Output channel o belongs to group
 * floor(o / (out/groups)), as in PyTorch.
 *
 * Two implementations, both built from ops with gradients on every backend:
 * - 'split':     split input and filter into groups, one conv2d each, concat. `groups` kernels per call.
 * - 'depthwise': one depthwiseConv2d with channel multiplier out/groups, then a reshape and a sum over the group's
 *                inputs. Same multiply-adds, two kernels, but an intermediate in/groups times the output's size.
 * scripts/parity/grouped-conv-bench.ts times both; 'split' is the default (see docs/model.md for the numbers).
 */
import * as tf from '@tensorflow/tfjs';

export type GroupedConvStrategy = 'split' | 'depthwise';

export type Padding = [[number, number], [number, number], [number, number], [number, number]];

export function symmetricPadding(p: number): Padding {
  return [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
}

export function groupedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
  pad: Padding,
  groups: number,
  strategy: GroupedConvStrategy = 'split',
): tf.Tensor4D {
  if (groups === 1) return tf.conv2d(x, filter, stride, pad) as tf.Tensor4D;
  return strategy === 'split' ? splitConv(x, filter, stride, pad, groups) : depthwiseConv(x, filter, stride, pad, groups);
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
