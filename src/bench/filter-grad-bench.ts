/**
 * The conv filter gradient on webgpu: tfjs' Conv2DBackpropFilter (one invocation per weight) against ours (tiled
 * implicit GEMM, src/runtime/webgpu-kernels/tiled-conv), on ResNet-50's conv shapes at full width (scale l) for
 * the bench's image size and batch. GFLOP/s counts 2·M·N·K multiply-adds, M = kh·kw·cin, N = cout, K = batch × output
 * pixels, over the median wall time of a kernel call read back to the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { describeBackend, setBackend } from '../runtime/backend';
import { replacedWebGpuKernel } from '../runtime/webgpu-kernels';
import { medianMs } from './measure';
import { round } from './train-bench';

export interface FilterGradRow {
  adapter: string;
  layer: string;
  x: number[];
  filter: number[];
  stride: number;
  tfjs_ms: number;
  tiled_ms: number;
  tfjs_gflops: number;
  tiled_gflops: number;
  speedup: number;
}

/** ResNet-50's convs: the stem, a 3×3 of each stage, and a 1×1 (x's side as a fraction of the image). */
const LAYERS: { layer: string; side: number; filter: [number, number, number, number]; stride: number }[] = [
  { layer: 'stem 7×7', side: 1, filter: [7, 7, 3, 64], stride: 2 },
  { layer: 'layer1 3×3', side: 1 / 4, filter: [3, 3, 64, 64], stride: 1 },
  { layer: 'layer2 3×3', side: 1 / 8, filter: [3, 3, 128, 128], stride: 1 },
  { layer: 'layer3 1×1', side: 1 / 16, filter: [1, 1, 1024, 256], stride: 1 },
  { layer: 'layer4 3×3', side: 1 / 32, filter: [3, 3, 512, 512], stride: 1 },
];

export async function benchFilterGrad(img: number, batch: number, reps: number): Promise<FilterGradRow[]> {
  const adapter = describeBackend(await setBackend('webgpu'));
  const original = replacedWebGpuKernel(tf.Conv2DBackpropFilter);
  if (!original) throw new Error('the tiled filter gradient is not registered: nothing to compare');
  const rows: FilterGradRow[] = [];
  for (const { layer, side, filter, stride } of LAYERS) {
    const size = Math.max(1, Math.round(img * side));
    const xShape: [number, number, number, number] = [batch, size, size, filter[2]];
    const info = tf.backend_util.computeConv2DInfo(xShape, filter, stride, 1, 'same');
    const x = tf.randomNormal(xShape);
    const dy = tf.randomNormal([batch, info.outHeight, info.outWidth, filter[3]]);
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: filter } as unknown as tf.NamedAttrMap;
    const read = (make: () => tf.Tensor) => async () => {
      const out = make();
      await out.data();
      out.dispose();
    };
    const backend = tf.backend();
    const viaTfjs = () => tf.engine().makeTensorFromTensorInfo(original.kernelFunc({ inputs: { x, dy }, attrs, backend }) as tf.TensorInfo);
    const viaTiled = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
    const tfjs_ms = await medianMs(read(viaTfjs), 1, reps);
    const tiled_ms = await medianMs(read(viaTiled), 1, reps);
    tf.dispose([x, dy]);
    const flops = 2 * filter[0] * filter[1] * filter[2] * filter[3] * batch * info.outHeight * info.outWidth;
    rows.push({
      adapter,
      layer,
      x: xShape,
      filter,
      stride,
      tfjs_ms: round(tfjs_ms),
      tiled_ms: round(tiled_ms),
      tfjs_gflops: round(flops / tfjs_ms / 1e6),
      tiled_gflops: round(flops / tiled_ms / 1e6),
      speedup: round(tfjs_ms / tiled_ms),
    });
  }
  return rows;
}
