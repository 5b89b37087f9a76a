/**
 * Times the grouped-convolution options on one ResNeXt-50 3×3 layer (groups=32), forward and forward+backward.
 *   npx tsx scripts/parity/grouped-conv-bench.ts [cpu|wasm|webgpu ...]   (default: cpu wasm)
 * Shapes: stage-1 conv2 (128 ch, 4 per group) and stage-3 conv2 (512 ch, 16 per group) at a 128² image, batch 2.
 * The dense option (32× the multiply-adds) is skipped on cpu, where it would take minutes.
 */
import * as tf from '@tensorflow/tfjs';
import { groupedConv2d, hasGroupedConvKernel, symmetricPadding, type GroupedConvStrategy } from '../../src/model/modules/grouped-conv';
import { parseBackendChoice, setBackend } from '../../src/runtime/backend';

const LAYERS = [
  { name: 'stage1 conv2 128ch 32x32', channels: 128, size: 32, stride: 1 },
  { name: 'stage3 conv2 512ch 8x8 (s2)', channels: 512, size: 16, stride: 2 },
];
const GROUPS = 32;
const BATCH = 2;

type Option = GroupedConvStrategy | 'dense';

/** The third option: a block-diagonal dense filter (32× the multiply-adds, one plain conv). */
function denseConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  const inPerGroup = filter.shape[2];
  const blocks = tf.split(filter, GROUPS, 3).map((b, g) => tf.pad(b, [[0, 0], [0, 0], [g * inPerGroup, (GROUPS - 1 - g) * inPerGroup], [0, 0]]));
  return tf.conv2d(x, tf.concat(blocks, 3) as tf.Tensor4D, stride, symmetricPadding(1));
}

const run = (option: Option, x: tf.Tensor4D, w: tf.Tensor4D, stride: number) =>
  option === 'dense' ? denseConv(x, w, stride) : groupedConv2d(x, w, stride, symmetricPadding(1), GROUPS, option);

async function time(fn: () => tf.Tensor | tf.Tensor[], reps: number): Promise<number> {
  const warm = fn();
  await Promise.all([warm].flat().map((t) => t.data()));
  tf.dispose(warm);
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = fn();
    await Promise.all([out].flat().map((t) => t.data()));
    tf.dispose(out);
  }
  return (performance.now() - start) / reps;
}

async function main(): Promise<void> {
  const backends = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['wasm', 'cpu'];
  console.log('| backend | layer | option | forward ms | forward+backward ms |');
  console.log('|---|---|---|---|---|');
  for (const backend of backends) {
    await setBackend(parseBackendChoice(backend));
    for (const layer of LAYERS) {
      const x = tf.randomNormal([BATCH, layer.size, layer.size, layer.channels]) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, layer.channels / GROUPS, layer.channels], 0, 0.1) as tf.Tensor4D;
      const reps = backend === 'cpu' ? 1 : 5;
      const options: Option[] = [
        ...(hasGroupedConvKernel() ? (['kernel'] as const) : []),
        'split',
        'depthwise',
        ...(backend === 'cpu' ? [] : (['dense'] as const)),
      ];
      for (const option of options) {
        let forward = NaN;
        let both = NaN;
        try {
          forward = await time(() => run(option, x, w, layer.stride), reps);
          both = await time(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(run(option, a as tf.Tensor4D, b as tf.Tensor4D, layer.stride)))([x, w]), reps);
        } catch (error) {
          console.error(`${backend} ${option}: ${(error as Error).message.split('\n')[0]}`);
        }
        console.log(`| ${backend} | ${layer.name} | ${option} | ${forward.toFixed(1)} | ${both.toFixed(1)} |`);
      }
      tf.dispose([x, w]);
    }
  }
}

await main();
