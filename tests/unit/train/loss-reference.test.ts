/**
 * The loss against a PyTorch reference: fixtures/make_loss_fixture.py re-implements ScaledYOLOv4's build_targets +
 * compute_loss in torch (float64) and stores random Detect outputs, targets, the loss items, the total and the
 * gradient of the total w.r.t. every output. Our tf loss (float32) must agree.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SCRATCH_HYP } from '../../../src/train/hyp';
import { computeLoss } from '../../../src/train/loss';

interface Fixture {
  nc: number;
  strides: number[];
  anchors: [number, number][][];
  hyp: { box: number; obj: number; cls: number; cls_pw: number; obj_pw: number; anchor_t: number };
  targets: number[];
  outputs: { shape: [number, number, number, number, number]; data: number[] }[];
  items: number[];
  total: number;
  grads: number[][];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/loss-reference.json', import.meta.url), 'utf8')) as Fixture;

describe('computeLoss vs the PyTorch reference', () => {
  it('gives the same items, total and gradients', () => {
    const vars = fixture.outputs.map((o) => tf.variable(tf.tensor(o.data, o.shape)));
    let items: number[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const loss = computeLoss({
        outputs: vars as unknown as tf.Tensor5D[],
        targets: Float32Array.from(fixture.targets),
        numTargets: fixture.targets.length / 6,
        anchors: fixture.anchors,
        strides: fixture.strides,
        nc: fixture.nc,
        hyp: { ...SCRATCH_HYP, ...fixture.hyp, fl_gamma: 0 },
      });
      items = Array.from(loss.items.dataSync());
      return loss.total;
    }, vars);
    items.forEach((v, i) => expect(v).toBeCloseTo(fixture.items[i], 5));
    expect(value.dataSync()[0]).toBeCloseTo(fixture.total, 4);
    vars.forEach((v, level) => {
      const ours = grads[v.name].dataSync();
      const ref = fixture.grads[level];
      const scale = Math.max(...ref.map(Math.abs));
      const worst = Math.max(...ref.map((g, i) => Math.abs(g - ours[i])));
      expect(worst).toBeLessThan(1e-5 * Math.max(scale, 1));
      expect(ref.filter((g) => g !== 0).length).toBeGreaterThan(0);
    });
    tf.dispose([value, ...vars, ...Object.values(grads)]);
  });
});
