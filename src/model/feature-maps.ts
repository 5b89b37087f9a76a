/**
 * What the backbone and the neck "see": for one image, the mean absolute activation over the channels of the last
 * backbone layer at each stride (C2 ÷4 … C5 ÷32) and of the three maps Detect reads (P3, P4, P5). Small enough to send
 * every epoch and to keep with a run, so the four backbones can be compared side by side.
 */
import * as tf from '@tensorflow/tfjs';
import type { YoloModel } from './model';
import type { ModelPlan } from './plan/parse';

export interface FeatureMapTap {
  /** C2…C5 for backbone stages, P3…P5 for Detect's inputs: the level is log2 of the stride. */
  name: string;
  layer: number;
  stride: number;
  part: 'backbone' | 'neck';
}

export interface FeatureMap extends FeatureMapTap {
  channels: number;
  /** The map as sent: mean |activation| over channels, average-pooled to at most MAX_FEATURE_MAP_SIDE a side. */
  width: number;
  height: number;
  /** The smallest and largest value before scaling; `values` holds (v − min) / (max − min) × 255, rounded. */
  min: number;
  max: number;
  values: Uint8Array;
}

/** The feature maps of one image after one epoch. */
export interface FeatureMapSet {
  epoch: number;
  image: string;
  maps: FeatureMap[];
}

export const MAX_FEATURE_MAP_SIDE = 64;

const levelName = (prefix: 'C' | 'P', stride: number) => `${prefix}${Math.round(Math.log2(stride))}`;

/** The layers shown: the last backbone layer at each stride from 4 up, then Detect's inputs, in the plan's order. */
export function featureMapTaps(plan: ModelPlan): FeatureMapTap[] {
  const lastAtStride = new Map<number, number>();
  plan.layers.slice(0, plan.backboneLayers).forEach((layer) => {
    if (layer.stride >= 4) lastAtStride.set(layer.stride, layer.i);
  });
  const backbone = [...lastAtStride].sort(([a], [b]) => a - b).map(([stride, layer]): FeatureMapTap => ({ name: levelName('C', stride), layer, stride, part: 'backbone' }));
  const detectInputs = plan.layers[plan.layers.length - 1].inputs;
  const neck = detectInputs.map((layer): FeatureMapTap => ({ name: levelName('P', plan.layers[layer].stride), layer, stride: plan.layers[layer].stride, part: 'neck' }));
  return [...backbone, ...neck];
}

/** The power of two that brings a side of `side` pixels to at most MAX_FEATURE_MAP_SIDE. */
export function poolFactor(side: number): number {
  let factor = 1;
  while (side / factor > MAX_FEATURE_MAP_SIDE) factor *= 2;
  return factor;
}

/** Mean |x| over channels of an NHWC map of one image, pooled: `[height, width]`. */
function meanAbsActivation(output: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [, h, w] = output.shape;
    const factor = poolFactor(Math.max(h, w));
    const mean = tf.mean(tf.abs(output), 3, true) as tf.Tensor4D;
    const pooled = factor > 1 ? tf.avgPool(mean, factor, factor, 'valid') : mean;
    return tf.squeeze(pooled, [0, 3]) as tf.Tensor2D;
  });
}

/** Scales values to bytes between their own min and max (a flat map is all zeros). */
export function toBytes(values: Float32Array): { min: number; max: number; bytes: Uint8Array } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  const bytes = new Uint8Array(values.length);
  if (range > 0) for (let i = 0; i < values.length; i++) bytes[i] = Math.round(((values[i] - min) / range) * 255);
  return { min, max, bytes };
}

/** The feature maps of `image` (`[1, h, w, 3]` in [0, 1]) through the model in eval mode. */
export async function featureMaps(model: YoloModel, image: tf.Tensor4D): Promise<FeatureMap[]> {
  const taps = featureMapTaps(model.plan);
  const outputs = model.layerOutputs(image, taps.map((tap) => tap.layer));
  const reduced = outputs.map(meanAbsActivation);
  tf.dispose(outputs);
  try {
    const datas = await Promise.all(reduced.map((t) => t.data() as Promise<Float32Array>));
    return taps.map((tap, i) => {
      const [height, width] = reduced[i].shape;
      const { min, max, bytes } = toBytes(datas[i]);
      return { ...tap, channels: model.plan.layers[tap.layer].channels, width, height, min, max, values: bytes };
    });
  } finally {
    tf.dispose(reduced);
  }
}
