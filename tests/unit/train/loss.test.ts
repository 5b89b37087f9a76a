import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SCRATCH_HYP } from '../../../src/train/hyp';
import { buildTargets, computeLoss, levelBalance, type LossHyp } from '../../../src/train/loss';
import { bceWithLogits } from '../../../src/train/tf-ops';
import { ciou } from '../../../src/train/ciou';

const ANCHORS = [
  [[12, 16], [19, 36], [40, 28]],
  [[36, 75], [76, 55], [72, 146]],
  [[142, 110], [192, 243], [459, 401]],
] as [number, number][][];
const STRIDES = [8, 16, 32];
const IMG = 64;
const NC = 3;
const NO = NC + 5;

function levelShapes(n: number): [number, number, number, number, number][] {
  return STRIDES.map((s) => [n, 3, IMG / s, IMG / s, NO]);
}

function lossOf(outputs: tf.Tensor5D[], targets: number[][], hyp: LossHyp = SCRATCH_HYP) {
  return computeLoss({
    outputs,
    targets: Float32Array.from(targets.flat()),
    numTargets: targets.length,
    anchors: ANCHORS,
    strides: STRIDES,
    nc: NC,
    hyp,
  });
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('computeLoss', () => {
  it('equals the hand value on all-zero logits without targets: only objectness, ln 2 per cell', () => {
    const outputs = levelShapes(2).map((shape) => tf.zeros(shape) as tf.Tensor5D);
    const { total, items } = lossOf(outputs, []);
    const [box, obj, cls] = Array.from(items.dataSync());
    const expectedObj = Math.LN2 * levelBalance(3).reduce((a, b) => a + b) * SCRATCH_HYP.obj;
    expect(box).toBe(0);
    expect(cls).toBe(0);
    expect(obj).toBeCloseTo(expectedObj, 5);
    expect(total.dataSync()[0]).toBeCloseTo(2 * expectedObj, 4); // × batch size 2
    tf.dispose([...outputs, total, items]);
  });

  it('gives zero box loss when every positive predicts its target box exactly', () => {
    // One target: centre (20, 28) px, 12 × 16 px: on P3 it matches anchors 0 (12×16) and 1 (19×36).
    const target = [0, 1, 20 / IMG, 28 / IMG, 12 / IMG, 16 / IMG];
    const shapes = levelShapes(1);
    const data = shapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b)).fill(-4));
    shapes.forEach(([, na, ny, nx], level) => {
      const stride = STRIDES[level];
      const gx = target[2] * nx;
      const gy = target[3] * ny;
      for (let a = 0; a < na; a++) {
        const [aw, ah] = ANCHORS[level][a].map((v) => v / stride);
        for (let gj = 0; gj < ny; gj++) {
          for (let gi = 0; gi < nx; gi++) {
            const dx = gx - gi;
            const dy = gy - gj;
            if (dx <= -0.5 || dx >= 1.5 || dy <= -0.5 || dy >= 1.5) continue; // outside 2σ − 0.5's range
            const o = ((a * ny + gj) * nx + gi) * NO;
            const tw = (target[4] * nx) / aw;
            const th = (target[5] * ny) / ah;
            if (Math.sqrt(tw) / 2 >= 1 || Math.sqrt(th) / 2 >= 1) continue; // wh beyond the 4× cap
            data[level].set([logit((dx + 0.5) / 2), logit((dy + 0.5) / 2), logit(Math.sqrt(tw) / 2), logit(Math.sqrt(th) / 2)], o);
          }
        }
      }
    });
    const outputs = shapes.map((shape, i) => tf.tensor(data[i], shape) as tf.Tensor5D);
    const { total, items } = lossOf(outputs, [target]);
    const [box, obj, cls] = Array.from(items.dataSync());
    expect(box).toBeLessThan(1e-5);
    expect(obj).toBeGreaterThan(0);
    expect(cls).toBeGreaterThan(0);
    tf.dispose([...outputs, total, items]);
  });

  it('takes the cls mean per level, then sums the levels, though it runs over all levels at once', () => {
    // A 40 × 28 px target matches anchors on several levels, with a different number of positives on each.
    const target = [0, 1, 20 / IMG, 28 / IMG, 40 / IMG, 28 / IMG];
    const outputs = levelShapes(2).map((shape) => tf.fill(shape, -4) as tf.Tensor5D);
    const levels = buildTargets({ outputs, targets: Float32Array.from(target), numTargets: 1, anchors: ANCHORS, strides: STRIDES, anchorT: SCRATCH_HYP.anchor_t });
    const counts = levels.map((l) => l.count).filter((c) => c > 0);
    expect(new Set(counts).size).toBeGreaterThan(1);
    // Every positive row has the same logits (−4) and one-hot target, so each level's mean is the same value.
    const row = bceWithLogits(tf.fill([1, NC], -4), tf.tensor2d([[0, 1, 0]]), { posWeight: SCRATCH_HYP.cls_pw, focalGamma: SCRATCH_HYP.fl_gamma });
    const levelMean = tf.mean(row).dataSync()[0];
    const { total, items } = lossOf(outputs, [target]);
    expect(items.dataSync()[2]).toBeCloseTo(SCRATCH_HYP.cls * (NC / 80) * levelMean * counts.length, 5);
    tf.dispose([...outputs, total, items, row]);
  });

  it('has CIoU 1 for identical boxes and the source value for a hand case', () => {
    const box = (cx: number, cy: number, w: number, h: number) => [tf.tensor2d([[cx, cy]]), tf.tensor2d([[w, h]])] as const;
    const same = ciou(...box(1, 1, 2, 2), Float32Array.of(1, 1, 2, 2));
    expect(same.dataSync()[0]).toBeCloseTo(1, 6);
    // Pred (0,0,2,2) vs target (1,0,2,2): IoU = 2/6; enclosing box 3×2 → c² = 13; ρ² = 1; same aspect → v = 0.
    const shifted = ciou(...box(0, 0, 2, 2), Float32Array.of(1, 0, 2, 2));
    expect(shifted.dataSync()[0]).toBeCloseTo(1 / 3 - 1 / 13, 6);
    // Aspect term: pred 2×1 vs target 1×2 at the same centre: IoU = 1/3, ρ = 0, v = 4/π²·(atan 0.5 − atan 2)².
    const v = (4 / Math.PI ** 2) * (Math.atan(0.5) - Math.atan(2)) ** 2;
    const rotated = ciou(...box(0, 0, 2, 1), Float32Array.of(0, 0, 1, 2));
    expect(rotated.dataSync()[0]).toBeCloseTo(1 / 3 - v * (v / (1 - 1 / 3 + v)), 6);
    tf.dispose([same, shifted, rotated]);
  });

  it('has gradients that agree with central finite differences', () => {
    const shapes = levelShapes(2);
    let seed = 7;
    const base = shapes.map((shape) => tf.randomNormal(shape, 0, 0.7, 'float32', seed++).dataSync() as Float32Array);
    const targets = [
      [0, 0, 0.3, 0.4, 0.25, 0.3],
      [1, 2, 0.62, 0.55, 0.5, 0.35],
      [1, 1, 0.2, 0.8, 0.12, 0.1],
    ];
    // Objectness targets depend on the (detached) CIoU, so box logits are checked with obj off and the rest with
    // the full loss; the CIoU α is a constant in the source too, so its tiny contribution sets the tolerance.
    const cases: { hyp: LossHyp; channels: number[] }[] = [
      { hyp: { ...SCRATCH_HYP, obj: 0 }, channels: [0, 1, 2, 3, 5, 6, 7] },
      { hyp: SCRATCH_HYP, channels: [4, 5, 6, 7] },
    ];
    for (const { hyp, channels } of cases) {
      const vars = base.map((d, i) => tf.variable(tf.tensor(d, shapes[i])));
      const { grads } = tf.variableGrads(() => {
        const { total, items } = lossOf(vars as unknown as tf.Tensor5D[], targets, hyp);
        items.dispose();
        return total;
      }, vars);
      const analytic = vars.map((v) => grads[v.name].dataSync());
      const lossAt = (level: number, index: number, delta: number) =>
        tf.tidy(() => {
          const data = base.map((d) => d.slice());
          data[level][index] += delta;
          return lossOf(data.map((d, i) => tf.tensor(d, shapes[i]) as tf.Tensor5D), targets, hyp).total.dataSync()[0];
        });
      let checked = 0;
      for (let level = 0; level < 3; level++) {
        for (let index = 0; index < base[level].length; index++) {
          const g = analytic[level][index];
          if (!channels.includes(index % NO) || Math.abs(g) < 1e-3) continue;
          const h = 1e-2;
          const numeric = (lossAt(level, index, h) - lossAt(level, index, -h)) / (2 * h);
          // float32 losses of a few units, differenced over 2h = 0.02, carry ~1e-4 of rounding noise.
          expect(Math.abs(numeric - g)).toBeLessThan(2e-2 * Math.abs(g) + 5e-4);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
      tf.dispose([...vars, ...Object.values(grads)]);
    }
  });
});
