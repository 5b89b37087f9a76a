/**
 * The "probe" net of ../shared/ARCHITECTURE.md's measurements: a small YOLO-like detector (stride-2 3x3 convs with
 * 16→128 channels, SiLU, three 1x1 Detect heads at strides 8/16/32). It is a DetectionModel, so the benchmark and the
 * real Trainer run it exactly like the YAML models, and its numbers compare with the ones measured there.
 */
import * as tf from '@tensorflow/tfjs';
import type { DetectionModel, NamedBuffer, NamedParameter } from '../model/types';

const ANCHORS: [number, number][][] = [
  [[12, 16], [19, 36], [40, 28]],
  [[36, 75], [76, 55], [72, 146]],
  [[142, 110], [192, 243], [459, 401]],
];
const TRUNK = [16, 32, 64, 128, 128]; // each a 3x3 stride-2 conv; the last three feed the heads

export function buildProbeModel(nc: number, seed = 0): DetectionModel {
  const params: NamedParameter[] = [];
  const add = (name: string, group: 1 | 2, init: () => tf.Tensor) => {
    const variable = tf.variable(init(), true, `${name}#${seed}#${Math.random().toString(36).slice(2)}`);
    params.push({ name, variable, group });
    return variable;
  };
  let cin = 3;
  const trunk = TRUNK.map((cout, i) => {
    const std = Math.sqrt(2 / (9 * cin));
    const w = add(`model.${i}.conv.weight`, 1, () => tf.randomNormal([3, 3, cin, cout], 0, std, 'float32', seed + i));
    const b = add(`model.${i}.conv.bias`, 2, () => tf.zeros([cout]));
    cin = cout;
    return { w: w as tf.Variable<tf.Rank.R4>, b };
  });
  const no = nc + 5;
  const heads = [2, 3, 4].map((t, level) => {
    const c = TRUNK[t];
    const w = add(`model.5.m.${level}.weight`, 1, () => tf.randomNormal([1, 1, c, 3 * no], 0, 0.01, 'float32', seed + 10 + level));
    const b = add(`model.5.m.${level}.bias`, 2, () => tf.fill([3 * no], -4.5));
    return { w: w as tf.Variable<tf.Rank.R4>, b };
  });

  return {
    nc,
    strides: [8, 16, 32],
    anchors: ANCHORS,
    forward(images: tf.Tensor4D): tf.Tensor5D[] {
      return tf.tidy(() => {
        const features: tf.Tensor4D[] = [];
        let x = images;
        for (const { w, b } of trunk) {
          const z = tf.add(tf.conv2d(x, w, 2, 'same'), b) as tf.Tensor4D;
          x = tf.mul(z, tf.sigmoid(z)) as tf.Tensor4D; // SiLU
          features.push(x);
        }
        return heads.map(({ w, b }, level) => {
          const f = features[level + 2];
          const [n, ny, nx] = f.shape;
          const y = tf.add(tf.conv2d(f, w, 1, 'valid'), b);
          return tf.transpose(tf.reshape(y, [n, ny, nx, 3, no]), [0, 3, 1, 2, 4]) as tf.Tensor5D;
        });
      });
    },
    parameters: () => params,
    buffers: (): NamedBuffer[] => [],
    dispose: () => params.forEach((p) => p.variable.dispose()),
  };
}
