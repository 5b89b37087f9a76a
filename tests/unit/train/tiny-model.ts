/**
 * A tiny but real DetectionModel for the training-core tests: a strided conv + BatchNorm + ReLU stack with three
 * Detect levels (strides 8/16/32), PyTorch-style names, optimizer groups and BN buffers. Every output is a real
 * tfjs computation with gradients; it only stands in for the YAML-built model to keep tests fast.
 */
import * as tf from '@tensorflow/tfjs';
import type { DetectionModel, ForwardMode, NamedBuffer, NamedParameter, ParamGroup } from '../../../src/model/types';

const BN_MOMENTUM = 0.03;
const BN_EPS = 1e-3;
const ANCHORS: [number, number][][] = [
  [[12, 16], [19, 36], [40, 28]],
  [[36, 75], [76, 55], [72, 146]],
  [[142, 110], [192, 243], [459, 401]],
];

interface ConvBn {
  weight: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  mean: tf.Variable;
  variance: tf.Variable;
}

export interface TinyModelOptions {
  nc: number;
  /** Seed of the weight initialisation, so two builds can be identical. */
  seed: number;
  /** Channel width of the stack. */
  width?: number;
}

export class TinyDetectionModel implements DetectionModel {
  readonly nc: number;
  readonly strides = [8, 16, 32] as const;
  readonly anchors = ANCHORS;
  private readonly params: NamedParameter[] = [];
  private readonly bufs: NamedBuffer[] = [];
  private readonly stack: ConvBn[] = [];
  private readonly heads: { weight: tf.Variable; bias: tf.Variable }[] = [];

  constructor(opts: TinyModelOptions) {
    this.nc = opts.nc;
    const width = opts.width ?? 8;
    let seed = opts.seed;
    const next = () => seed++;
    let cin = 3;
    for (let i = 0; i < 5; i++) {
      const cout = i < 2 ? width : width * 2;
      const scale = Math.sqrt(2 / (9 * cin));
      const layer: ConvBn = {
        weight: tf.variable(tf.randomNormal([3, 3, cin, cout], 0, scale, 'float32', next())),
        gamma: tf.variable(tf.ones([cout])),
        beta: tf.variable(tf.zeros([cout])),
        mean: tf.variable(tf.zeros([cout]), false),
        variance: tf.variable(tf.ones([cout]), false),
      };
      this.stack.push(layer);
      this.add(`model.${i}.conv.weight`, layer.weight, 1);
      this.add(`model.${i}.bn.weight`, layer.gamma, 0);
      this.add(`model.${i}.bn.bias`, layer.beta, 2);
      this.bufs.push({ name: `model.${i}.bn.running_mean`, variable: layer.mean });
      this.bufs.push({ name: `model.${i}.bn.running_var`, variable: layer.variance });
      cin = cout;
    }
    const no = this.nc + 5;
    this.strides.forEach((stride, level) => {
      const weight = tf.variable(tf.randomNormal([1, 1, cin, 3 * no], 0, 0.01, 'float32', next()));
      // ScaledYOLOv4's Detect bias init: obj ≈ 8 objects per 640² image, cls ≈ 0.6/(nc − 0.99).
      const bias = new Float32Array(3 * no);
      for (let a = 0; a < 3; a++) {
        bias[a * no + 4] = Math.log(8 / (640 / stride) ** 2);
        for (let c = 0; c < this.nc; c++) bias[a * no + 5 + c] = Math.log(0.6 / (this.nc - 0.99));
      }
      const head = { weight, bias: tf.variable(tf.tensor1d(bias)) };
      this.heads.push(head);
      this.add(`model.9.m.${level}.weight`, head.weight, 1);
      this.add(`model.9.m.${level}.bias`, head.bias, 2);
    });
  }

  private add(name: string, variable: tf.Variable, group: ParamGroup): void {
    this.params.push({ name, variable, group });
  }

  private convBn(x: tf.Tensor4D, layer: ConvBn, mode: ForwardMode): tf.Tensor4D {
    const y = tf.conv2d(x, layer.weight as tf.Tensor4D, 2, 'same');
    let mean: tf.Tensor = layer.mean;
    let variance: tf.Tensor = layer.variance;
    if (mode === 'train') {
      const moments = tf.moments(y, [0, 1, 2]);
      mean = moments.mean;
      variance = moments.variance;
      const count = y.size / y.shape[3];
      const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
      layer.mean.assign(tf.add(tf.mul(layer.mean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
      layer.variance.assign(tf.add(tf.mul(layer.variance, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    }
    return tf.relu(tf.batchNorm(y, mean, variance, layer.beta, layer.gamma, BN_EPS)) as tf.Tensor4D;
  }

  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor5D[] {
    return tf.tidy(() => {
      const features: tf.Tensor4D[] = [];
      let x = images;
      this.stack.forEach((layer, i) => {
        x = this.convBn(x, layer, mode);
        if (i >= 2) features.push(x);
      });
      return features.map((f, level) => {
        const { weight, bias } = this.heads[level];
        const out = tf.add(tf.conv2d(f, weight as tf.Tensor4D, 1, 'valid'), bias);
        const [n, ny, nx] = f.shape;
        return tf.transpose(tf.reshape(out, [n, ny, nx, 3, this.nc + 5]), [0, 3, 1, 2, 4]) as tf.Tensor5D;
      });
    });
  }

  parameters(): NamedParameter[] {
    return this.params;
  }

  buffers(): NamedBuffer[] {
    return this.bufs;
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    for (const b of this.bufs) b.variable.dispose();
  }
}
