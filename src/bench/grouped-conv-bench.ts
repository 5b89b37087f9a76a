/**
 * ResNeXt-50 (32x4d)'s grouped 3x3 convs: the strategies of src/model/modules/grouped-conv.ts against dense convs of
 * the same multiply-adds, forward + both gradients, at each stage's full-scale shape. Two dense references, because
 * the ratio depends on the GEMM shape: C → C/groups channels on the same input (a skinny GEMM), and a square one,
 * c → c channels with c = round(C/√groups), its time scaled by the small FLOP difference.
 * Goal from the issue: the chosen strategy at most 1.3x the dense conv.
 */
import * as tf from '@tensorflow/tfjs';
import { groupedConv2d, hasGroupedConvKernel, symmetricPadding, type GroupedConvStrategy } from '../model/modules/grouped-conv';
import { setBackend, type BackendChoice } from '../runtime/backend';
import { medianMs } from './measure';
import { round } from './train-bench';

const GROUPS = 32;
const STRATEGIES: GroupedConvStrategy[] = ['kernel', 'split', 'depthwise'];

export interface GroupedConvRow {
  backend: string;
  stage: number;
  shape: [number, number, number, number];
  groups: number;
  dense_ms: number;
  /** The square dense conv's time, scaled to the grouped conv's multiply-adds. */
  dense_square_ms: number;
  /** Per strategy: median ms of forward + backward, and its ratio to the dense conv. 'kernel' only where the backend
   * has the grouped-conv kernel (elsewhere it would just run 'split'). */
  strategies: Record<string, { ms: number; ratio: number; ratio_square: number }>;
}

/** Forward + dx + dW, synchronised by reading a scalar that depends on every gradient. */
function trainLike(conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, w: tf.Tensor4D) {
  return async () => {
    const s = tf.tidy(() => {
      const [dx, dw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.square(conv(xi as tf.Tensor4D, wi as tf.Tensor4D))))([x, w]);
      return tf.add(tf.sum(dx), tf.sum(dw));
    });
    await s.data();
    s.dispose();
  };
}

export async function benchGroupedConv(backend: BackendChoice, img: number, batch: number, reps: number): Promise<GroupedConvRow[]> {
  const info = await setBackend(backend);
  const timed = STRATEGIES.filter((s) => s !== 'kernel' || hasGroupedConvKernel());
  const rows: GroupedConvRow[] = [];
  for (let stage = 1; stage <= 4; stage++) {
    const channels = 128 * 2 ** (stage - 1); // 32 groups x 4 (x 2^stage) channels
    const size = Math.max(1, img / 2 ** (stage + 1));
    const shape: [number, number, number, number] = [batch, size, size, channels];
    const x = tf.randomNormal(shape) as tf.Tensor4D;
    const wGrouped = tf.randomNormal([3, 3, channels / GROUPS, channels]) as tf.Tensor4D;
    const wDense = tf.randomNormal([3, 3, channels, channels / GROUPS]) as tf.Tensor4D;
    const pad = symmetricPadding(1);
    const dense_ms = await medianMs(trainLike((xi, wi) => tf.conv2d(xi, wi, 1, pad), x, wDense), 1, reps);
    const square = Math.round(channels / Math.sqrt(GROUPS));
    const xSquare = tf.randomNormal([batch, size, size, square]) as tf.Tensor4D;
    const wSquare = tf.randomNormal([3, 3, square, square]) as tf.Tensor4D;
    const flopScale = (channels * channels) / GROUPS / (square * square);
    const dense_square_ms = flopScale * (await medianMs(trainLike((xi, wi) => tf.conv2d(xi, wi, 1, pad), xSquare, wSquare), 1, reps));
    const strategies: GroupedConvRow['strategies'] = {};
    for (const strategy of timed) {
      const ms = await medianMs(trainLike((xi, wi) => groupedConv2d(xi, wi, 1, pad, GROUPS, strategy), x, wGrouped), 1, reps);
      strategies[strategy] = { ms: round(ms), ratio: round(ms / dense_ms, 2), ratio_square: round(ms / dense_square_ms, 2) };
    }
    rows.push({ backend: info.name, stage, shape, groups: GROUPS, dense_ms: round(dense_ms), dense_square_ms: round(dense_square_ms), strategies });
    tf.dispose([x, wGrouped, wDense, xSquare, wSquare]);
  }
  return rows;
}
