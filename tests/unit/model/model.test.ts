/** Built models: output layout, parameter naming/grouping/order, initialisation, BN statistics, memory. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/model';
import { BN_MOMENTUM } from '../../../src/model/modules/leaves';
import { setBackend } from '../../../src/runtime/backend';
import { FAMILIES, tinyYaml } from './helpers';

beforeAll(() => setBackend('cpu'));

const images = (n: number, size: number, seed = 1) => tf.randomUniform([n, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;

describe.each(FAMILIES)('%s (tiny)', (family) => {
  it('returns [N, 3, ny, nx, nc+5] per level in both modes, strides 8/16/32, and leaks nothing', () => {
    const model = buildModel(tinyYaml(family), { seed: 1, nc: 2 });
    expect(model.strides).toEqual([8, 16, 32]);
    expect(model.anchors[2][2]).toEqual([459, 401]);
    const x = images(2, 64);
    const before = tf.memory().numTensors;
    for (const mode of ['train', 'eval'] as const) {
      const outs = model.forward(x, mode);
      expect(outs.map((o) => o.shape)).toEqual([
        [2, 3, 8, 8, 7],
        [2, 3, 4, 4, 7],
        [2, 3, 2, 2, 7],
      ]);
      tf.dispose(outs);
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

describe('parameters and buffers', () => {
  const yaml = tinyYaml('yolov4-resnext50');

  it('two builds list the same names, shapes and groups in the same order (for EMA copies)', () => {
    const [a, b] = [buildModel(yaml, { seed: 1 }), buildModel(yaml, { seed: 2 })];
    const describe = (m: typeof a) => ({
      params: m.parameters().map((p) => [p.name, p.variable.shape, p.group]),
      buffers: m.buffers().map((p) => [p.name, p.variable.shape]),
    });
    expect(describe(b)).toEqual(describe(a));
    expect(a.parameters().length).toBe(a.summary().layers);
    expect(a.parameters().every((p) => p.variable.trainable)).toBe(true);
    expect(a.buffers().every((p) => !p.variable.trainable)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('groups: BN weights 0, conv weights 1, biases 2', () => {
    const model = buildModel(yaml, { seed: 1 });
    const group = Object.fromEntries(model.parameters().map((p) => [p.name, p.group]));
    expect(group['model.0.weight']).toBe(1);
    expect(group['model.1.weight']).toBe(0);
    expect(group['model.1.bias']).toBe(2);
    expect(group['model.4.layers.0.downsample.1.weight']).toBe(0);
    expect(group['model.4.layers.0.conv2.weight']).toBe(1);
    expect(group['model.8.cv2.weight']).toBe(1);
    expect(group['model.8.bn.weight']).toBe(0);
    expect(group['model.28.m.0.bias']).toBe(2);
    expect(model.buffers().map((b) => b.name)).toContain('model.8.cv1.bn.running_var');
    model.dispose();
  });

  it('the same seed gives the same weights, another seed different ones', async () => {
    const [a, b, c] = [1, 1, 2].map((seed) => buildModel(yaml, { seed }));
    const first = async (m: typeof a) => Array.from(await m.parameters()[0].variable.data());
    expect(await first(a)).toEqual(await first(b));
    expect(await first(a)).not.toEqual(await first(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('initialises like PyTorch: conv U(±1/√fan_in), BN γ=1 β=0, Detect bias priors', async () => {
    const model = buildModel(tinyYaml('yolov4-csp'), { seed: 3 });
    const byName = Object.fromEntries(model.parameters().map((p) => [p.name, p.variable]));
    // model.1.conv: 3x3, 8 → 8 channels (width 1/32): fan_in 72.
    const w = await byName['model.1.conv.weight'].data();
    const bound = 1 / Math.sqrt(72);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Array.from(await byName['model.1.bn.weight'].data()).every((v) => v === 1)).toBe(true);
    expect(Array.from(await byName['model.1.bn.bias'].data()).every((v) => v === 0)).toBe(true);
    // Detect level 0 (stride 8, 8 input channels): bias = U(±1/√8) + prior.
    const bias = await byName['model.31.m.0.bias'].data();
    const obj = Math.log(8 / (640 / 8) ** 2);
    const cls = Math.log(0.6 / (4 - 0.99));
    for (let a = 0; a < 3; a++) {
      expect(Math.abs(bias[a * 9 + 4] - obj)).toBeLessThanOrEqual(1 / Math.sqrt(8));
      expect(Math.abs(bias[a * 9 + 5] - cls)).toBeLessThanOrEqual(1 / Math.sqrt(8));
      expect(Math.abs(bias[a * 9])).toBeLessThanOrEqual(1 / Math.sqrt(8));
    }
    model.dispose();
  });
});

describe('training behaviour', () => {
  // yolov4-csp has Mish everywhere; in the ResNets a ReLU can legitimately be dead for a whole tiny batch.
  it('every parameter gets a finite, non-zero gradient, and a step leaks nothing', async () => {
    const model = buildModel(tinyYaml('yolov4-csp'), { seed: 4 });
    const x = images(2, 64, 5);
    const before = tf.memory().numTensors;
    const params = model.parameters();
    const { value, grads } = tf.variableGrads(
      () => tf.addN(model.forward(x, 'train').map((o) => tf.mean(tf.square(o)))) as tf.Scalar,
      params.map((p) => p.variable),
    );
    for (const p of params) {
      const g = await grads[p.variable.name].data();
      expect(g.every(Number.isFinite), p.name).toBe(true);
      expect(g.some((v) => v !== 0), p.name).toBe(true);
    }
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('train mode updates BN running stats with momentum 0.03 and the unbiased variance; eval leaves them', async () => {
    const model = buildModel(tinyYaml('yolov4-resnet50'), { seed: 6 });
    const x = images(2, 64, 7);
    const buffer = (name: string) => model.buffers().find((b) => b.name === name)!.variable;
    // model.1 is the stem BN; its input is the stem conv's output.
    const conv = tf.conv2d(x, model.parameters()[0].variable as tf.Tensor4D, 2, [[0, 0], [3, 3], [3, 3], [0, 0]]);
    const { mean, variance } = tf.moments(conv, [0, 1, 2]);
    const count = conv.size / conv.shape[3];
    const expectedMean = await tf.mul(mean, BN_MOMENTUM).data();
    const expectedVar = await tf.add(1 - BN_MOMENTUM, tf.mul(variance, (BN_MOMENTUM * count) / (count - 1))).data();
    tf.dispose(model.forward(x, 'eval'));
    expect(Array.from(await buffer('model.1.running_mean').data()).every((v) => v === 0)).toBe(true);
    tf.dispose(model.forward(x, 'train'));
    const gotMean = await buffer('model.1.running_mean').data();
    const gotVar = await buffer('model.1.running_var').data();
    gotMean.forEach((v, i) => expect(v).toBeCloseTo(expectedMean[i], 5));
    gotVar.forEach((v, i) => expect(v).toBeCloseTo(expectedVar[i], 5));
    tf.dispose([x, conv, mean, variance]);
    model.dispose();
  });

  it('refuses inputs that are not a multiple of the largest stride', () => {
    const model = buildModel(tinyYaml('yolov4-csp'), { seed: 1 });
    const x = images(1, 48);
    expect(() => model.forward(x, 'eval')).toThrow(/48x48 must be a multiple of the largest stride 32/);
    x.dispose();
    model.dispose();
  });
});
