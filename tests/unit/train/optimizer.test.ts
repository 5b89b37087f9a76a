import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedParameter } from '../../../src/model/types';
import { GradientAccumulator } from '../../../src/train/accumulate';
import { GroupedSgd } from '../../../src/train/optimizer';
import type { GroupLrs } from '../../../src/train/schedule';
import { hasFusedKernel, SGD_NESTEROV_UPDATE } from '../../../src/train/update-kernels';
import { setBackend } from '../../../src/runtime/backend';

function params(): NamedParameter[] {
  return [
    { name: 'bn.weight', variable: tf.variable(tf.tensor1d([1.0, 0.5])), group: 0 },
    { name: 'conv.weight', variable: tf.variable(tf.tensor2d([[0.3, -0.2], [0.1, 0.4]])), group: 1 },
    { name: 'm.bias', variable: tf.variable(tf.tensor1d([0.05, -0.1])), group: 2 },
  ];
}

const GRADS = [
  [[0.2, -0.4], [[0.1, 0.0], [-0.3, 0.2]], [1.0, -2.0]],
  [[-0.1, 0.3], [[0.05, 0.2], [0.1, -0.1]], [0.5, 0.5]],
  [[0.0, 0.1], [[-0.2, 0.1], [0.0, 0.3]], [-1.0, 0.2]],
] as const;
const SCHEDULE: [GroupLrs, number][] = [
  [[0.0, 0.01, 0.1], 0.8],
  [[0.002, 0.002, 0.08], 0.85],
  [[0.004, 0.004, 0.06], 0.9],
];

// cpu runs the update op by op; wasm runs it as one fused kernel per tensor (src/runtime/wasm-kernels/fused-updates.ts).
describe.each(['cpu', 'wasm'] as const)('GroupedSgd on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('matches torch.optim.SGD(nesterov=True) with three groups and per-step lr/momentum', () => {
    expect(hasFusedKernel(SGD_NESTEROV_UPDATE)).toBe(backend === 'wasm');
    const ps = params();
    const sgd = new GroupedSgd(ps, 0.01);
    GRADS.forEach((g, step) => {
      const grads = [tf.tensor1d(g[0] as unknown as number[]), tf.tensor2d(g[1] as unknown as number[][]), tf.tensor1d(g[2] as unknown as number[])];
      sgd.step(grads, SCHEDULE[step][0], SCHEDULE[step][1]);
      tf.dispose(grads);
    });
    // Reference: PyTorch 1.13, float64, SGD([bn], momentum, nesterov=True) + group {conv, weight_decay 0.01} + group
    // {bias}, lr/momentum set per group before each of the three steps (the script is in docs/training.md).
    const expected = [
      [0.9998542, 0.4988376],
      [0.2988431787814465, -0.20207447177633878, 0.10592817403735419, 0.39382777330655433],
      [-0.21341, 0.33712],
    ];
    ps.forEach((p, i) => {
      Array.from(p.variable.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(expected[i][k], 6));
    });
    sgd.dispose();
    tf.dispose(ps.map((p) => p.variable));
  });

  it('round-trips its momentum buffers through state()/loadState()', () => {
    const ps = params();
    const a = new GroupedSgd(ps, 0.01);
    a.step([tf.ones([2]), tf.ones([2, 2]), tf.ones([2])], [0.1, 0.1, 0.1], 0.9);
    const saved = new Map(a.state().map((s) => [s.name, tf.clone(s.tensor)]));
    const b = new GroupedSgd(ps, 0.01);
    b.loadState(saved);
    b.state().forEach((s, i) => expect(Array.from(s.tensor.dataSync())).toEqual(Array.from(a.state()[i].tensor.dataSync())));
    tf.dispose([...saved.values()]);
    a.dispose();
    b.dispose();
  });
});

describe('GradientAccumulator', () => {
  it('sums gradients until taken, then starts over', () => {
    const ps = params().slice(0, 1);
    const acc = new GradientAccumulator(ps);
    acc.add([tf.tensor1d([1, 2])]);
    acc.add([tf.tensor1d([0.5, -1])]);
    expect(acc.count).toBe(2);
    expect(acc.state().map((s) => s.name)).toEqual(['bn.weight.grad']);
    const [sum] = acc.take();
    expect(Array.from(sum.dataSync())).toEqual([1.5, 1]);
    expect(acc.count).toBe(0);
    expect(acc.state()).toEqual([]);
    sum.dispose();
    ps[0].variable.dispose();
  });
});
