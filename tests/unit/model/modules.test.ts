/** Every module: output shape on a tiny input, and its gradients (input and parameters) against finite differences. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { createVariableFactory } from '../../../src/model/init';
import { instantiate } from '../../../src/model/modules/instantiate';
import { Layer, type BuildContext, type Module } from '../../../src/model/modules/module';
import { Detect } from '../../../src/model/modules/detect';
import {
  bottleneck,
  bottleneckCSP,
  bottleneckCSP2,
  conv2d,
  convBnMish,
  detect,
  resLayer,
  sppcsp,
} from '../../../src/model/plan/blocks';
import type { PlanNode } from '../../../src/model/plan/nodes';
import type { ForwardMode } from '../../../src/model/types';
import { gradientCheck } from './helpers';

function build(node: PlanNode): Module {
  const variable = createVariableFactory(3);
  const ctx: BuildContext = { build: (child) => instantiate(child, ctx), variable };
  return instantiate(node, ctx);
}

function trainables(module: Module): tf.Variable[] {
  return [...module.namedTensors('m')].filter((t) => t.variable.trainable).map((t) => t.variable);
}

/** A slightly noisy input so BN and pooling see distinct values. */
const input = (shape: [number, number, number, number]) => tf.randomUniform(shape, -1, 1, 'float32', 5) as tf.Tensor4D;

interface Case {
  name: string;
  node: PlanNode;
  in: [number, number, number, number];
  out: number[];
  /**
   * ReLU/max-pool blocks are piecewise smooth: units crossing a kink bias the finite difference by O(ε·count), so
   * these use a much smaller ε and a looser bound. The PyTorch gradient parity test checks them exactly.
   */
  kinks?: boolean;
}

const cases: Case[] = [
  { name: 'Conv 3x3 s2', node: convBnMish(4, 8, 3, 2), in: [2, 8, 8, 4], out: [2, 4, 4, 8] },
  { name: 'Bottleneck (residual)', node: bottleneck(8, 8), in: [2, 6, 6, 8], out: [2, 6, 6, 8] },
  { name: 'BottleneckCSP n=2', node: bottleneckCSP(8, 16, 2), in: [2, 6, 6, 8], out: [2, 6, 6, 16] },
  { name: 'BottleneckCSP2 n=2', node: bottleneckCSP2(16, 8, 2), in: [2, 6, 6, 16], out: [2, 6, 6, 8] },
  { name: 'SPPCSP', node: sppcsp(16, 8), in: [2, 8, 8, 16], out: [2, 8, 8, 8], kinks: true },
  { name: 'nn.Conv2d 7x7 s2 p3', node: conv2d(3, 8, 7, 2, 3), in: [2, 16, 16, 3], out: [2, 8, 8, 8] },
  { name: 'nn.Conv2d grouped with bias', node: conv2d(8, 8, 3, 2, 1, 4, true), in: [2, 8, 8, 8], out: [2, 4, 4, 8] },
  { name: 'nn.BatchNorm2d', node: { kind: 'bn', c: 4 }, in: [2, 4, 4, 4], out: [2, 4, 4, 4] },
  { name: 'nn.ReLU', node: { kind: 'act', fn: 'relu' }, in: [2, 4, 4, 3], out: [2, 4, 4, 3], kinks: true },
  { name: 'nn.MaxPool2d [3,2,1]', node: { kind: 'maxpool', k: 3, s: 2, p: 1, ceil: false }, in: [2, 8, 8, 3], out: [2, 4, 4, 3], kinks: true },
  { name: 'nn.MaxPool2d ceil [3,2,0]', node: { kind: 'maxpool', k: 3, s: 2, p: 0, ceil: true }, in: [2, 8, 8, 3], out: [2, 4, 4, 3], kinks: true },
  { name: 'nn.Upsample x2', node: { kind: 'upsample', factor: 2 }, in: [2, 3, 3, 4], out: [2, 6, 6, 4] },
  {
    name: 'resLayer (ResNeXt groups=4)',
    node: resLayer(false, { c1: 8, planes: 8, stride: 2, groups: 4, widthPerGroup: 16, downsample: true }, 2),
    in: [2, 8, 8, 8],
    out: [2, 4, 4, 32],
    kinks: true,
  },
  {
    name: 'seresLayer',
    node: resLayer(true, { c1: 8, planes: 8, stride: 2, groups: 1, widthPerGroup: 64, downsample: true }, 2),
    in: [2, 8, 8, 8],
    out: [2, 4, 4, 32],
    kinks: true,
  },
];

describe('module shapes and gradients', () => {
  // The cpu reference backend, with the runtime's gradient fixes (ceil-mode MaxPool).
  beforeAll(() => setBackend('cpu'));

  it.each(cases)('$name', async ({ node, in: inShape, out, kinks }) => {
    const module = build(node) as Layer;
    const x = input(inShape);
    for (const mode of ['train', 'eval'] as ForwardMode[]) {
      const y = tf.tidy(() => module.forward(x, mode));
      expect(y.shape).toEqual(out);
      y.dispose();
      const check = await gradientCheck((t) => module.forward(t, mode), x, trainables(module), kinks ? 1e-5 : 1e-3);
      expect(Math.abs(check.numeric), `${mode}: the probe loss must move`).toBeGreaterThan(1e-3);
      expect(check.relative, `${mode}: analytic ${check.analytic} vs numeric ${check.numeric}`).toBeLessThan(kinks ? 5e-2 : 1e-2);
    }
    x.dispose();
  });

  it('Detect: [N, na, ny, nx, nc+5] per level, gradients to every input and conv', async () => {
    const anchors: [number, number][][] = [
      [[10, 13], [16, 30], [33, 23]],
      [[30, 61], [62, 45], [59, 119]],
    ];
    const head = build(detect(2, anchors, [8, 16], [8, 16])) as Detect;
    const p3 = input([2, 4, 4, 8]);
    const p4 = tf.randomUniform([2, 2, 2, 16], -1, 1, 'float32', 9) as tf.Tensor4D;
    const outs = head.forwardLevels([p3, p4], 'eval');
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 3, 4, 4, 7],
      [2, 3, 2, 2, 7],
    ]);
    // Channel layout: anchor a's outputs are channels a·(nc+5) .. a·(nc+5)+nc+4 of the conv, as PyTorch's view().
    const raw = head.convs[0].forward(p3);
    const a1 = tf.slice(raw, [0, 0, 0, 7], [2, 4, 4, 7]);
    const fromLayout = tf.squeeze(tf.slice(outs[0], [0, 1, 0, 0, 0], [2, 1, 4, 4, 7]), [1]);
    expect(Math.max(...(await tf.abs(tf.sub(a1, fromLayout)).data()))).toBe(0);
    const check = await gradientCheck(
      (t) => tf.concat(head.forwardLevels([t, p4], 'train').map((o) => tf.reshape(o, [-1])), 0),
      p3,
      trainables(head),
    );
    expect(check.relative).toBeLessThan(1e-2);
    tf.dispose([p3, p4, raw, a1, fromLayout, ...outs]);
  });
});
