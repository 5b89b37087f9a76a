/**
 * The feature-map view's numbers: which layers it taps (the last backbone layer per stride, Detect's inputs), and the
 * maps themselves against an independent computation on a model whose first stages are max-pools of the image.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureMapTaps, featureMaps, poolFactor, toBytes, MAX_FEATURE_MAP_SIDE } from '../../../src/model/feature-maps';
import { buildModel } from '../../../src/model/model';
import { parseModelYaml } from '../../../src/model/plan/parse';
import { setBackend } from '../../../src/runtime/backend';
import { yamlWithRows } from './helpers';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Two 2×2 max-pools of the image (strides 2, 4), then convs to strides 8, 16, 32 and Detect on the last three. */
const POOLED_YAML = yamlWithRows(
  `[-1, 1, nn.MaxPool2d, [2, 2, 0]], [-1, 1, nn.MaxPool2d, [2, 2, 0]], [-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [8, 3, 2]]`,
  `[-1, 1, Conv, [8, 1, 1]], [[2, 3, 5], 1, Detect, [nc, anchors]]`,
);

describe('featureMapTaps', () => {
  it.each(['yolov4-csp', 'yolov4-resnet50', 'yolov4-resnext50', 'yolov4-se-resnet50'])('%s: C2–C5 from the backbone, P3–P5 = Detect inputs', (name) => {
    const plan = parseModelYaml(readFileSync(`public/models/${name}.yaml`, 'utf8'), { scale: 'n' });
    const taps = featureMapTaps(plan);
    expect(taps.map((t) => `${t.name}÷${t.stride}`)).toEqual(['C2÷4', 'C3÷8', 'C4÷16', 'C5÷32', 'P3÷8', 'P4÷16', 'P5÷32']);
    for (const tap of taps.filter((t) => t.part === 'backbone')) {
      expect(tap.layer).toBeLessThan(plan.backboneLayers);
      expect(plan.layers[tap.layer].stride).toBe(tap.stride);
      // The last backbone layer at its stride: the next backbone layer (if any) is coarser.
      const next = plan.layers[tap.layer + 1];
      if (tap.layer + 1 < plan.backboneLayers) expect(next.stride).toBeGreaterThan(tap.stride);
    }
    expect(taps.filter((t) => t.part === 'neck').map((t) => t.layer)).toEqual(plan.layers[plan.layers.length - 1].inputs);
  });
});

describe('featureMaps', () => {
  it('C2 is the mean over channels of the 4×4 max of the image, scaled to bytes between its min and max', async () => {
    const model = buildModel(POOLED_YAML, { seed: 1 });
    const side = 64;
    const pixels = Float32Array.from({ length: side * side * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const image = tf.tensor4d(pixels, [1, side, side, 3]);
    const before = tf.memory().numTensors;
    const maps = await featureMaps(model, image);
    expect(tf.memory().numTensors).toBe(before);
    expect(maps.map((m) => `${m.name} ${m.width}×${m.height}`)).toEqual(['C2 16×16', 'C3 8×8', 'C4 4×4', 'C5 2×2', 'P3 8×8', 'P4 4×4', 'P5 2×2']);

    // By hand: each C2 cell is the max over a 4×4 block, per channel, then the mean of the three channels.
    const expected = new Float32Array(16 * 16);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        let sum = 0;
        for (let c = 0; c < 3; c++) {
          let max = -Infinity;
          for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) max = Math.max(max, pixels[((y * 4 + dy) * side + x * 4 + dx) * 3 + c]);
          sum += max;
        }
        expected[y * 16 + x] = sum / 3;
      }
    const c2 = maps[0];
    const min = Math.min(...expected);
    const max = Math.max(...expected);
    expect(c2.channels).toBe(3);
    expect(c2.min).toBeCloseTo(min, 6);
    expect(c2.max).toBeCloseTo(max, 6);
    const bytes = Array.from(expected, (v) => Math.round(((v - min) / (max - min)) * 255));
    const worst = Math.max(...bytes.map((b, i) => Math.abs(b - c2.values[i])));
    expect(worst).toBeLessThanOrEqual(1);
    image.dispose();
    model.dispose();
  });

  it('pools a large map to at most MAX_FEATURE_MAP_SIDE a side, and scales a flat map to zeros, never NaN', () => {
    expect(poolFactor(32)).toBe(1);
    expect(poolFactor(MAX_FEATURE_MAP_SIDE)).toBe(1);
    expect(poolFactor(160)).toBe(4);
    expect(160 / poolFactor(160)).toBeLessThanOrEqual(MAX_FEATURE_MAP_SIDE);
    const flat = toBytes(new Float32Array([0.5, 0.5, 0.5]));
    expect([flat.min, flat.max, ...flat.bytes]).toEqual([0.5, 0.5, 0, 0, 0]);
    expect(Array.from(toBytes(new Float32Array([1, 3, 2])).bytes)).toEqual([0, 255, 128]);
  });

  it('refuses to tap Detect or a layer that does not exist', () => {
    const model = buildModel(POOLED_YAML, { seed: 1 });
    const image = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    expect(() => model.layerOutputs(image, [6])).toThrow(/only layers 0–5/);
    image.dispose();
    model.dispose();
  });
});
