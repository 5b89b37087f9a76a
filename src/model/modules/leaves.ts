/** Leaf modules: Conv2d, BatchNorm2d, activations, MaxPool2d, nearest upsampling. NHWC throughout. */
import * as tf from '@tensorflow/tfjs';
import type { ActivationNode, BatchNormNode, Conv2dNode, MaxPoolNode, UpsampleNode } from '../plan/nodes';
import { declareTensors } from '../plan/tensors';
import type { ForwardMode } from '../types';
import { activate, batchNormActTrain, type FusedActivation } from './batch-norm-act';
import { groupedConv2d, symmetricPadding, type GroupedConvStrategy, type Padding } from './grouped-conv';
import { Layer, type BuildContext } from './module';

/** BatchNorm settings that ScaledYOLOv4's initialize_weights gives every BN. */
export const BN_EPS = 1e-3;
export const BN_MOMENTUM = 0.03;

// 'kernel' runs our grouped-conv kernel where the backend has one (wasm: 2–6x faster than 'split'; webgpu: 3
// dispatches per forward + backward instead of hundreds; docs/performance.md) and 'split' elsewhere.
let groupedStrategy: GroupedConvStrategy = 'kernel';

/** Chooses the grouped-convolution implementation for models built afterwards and for running ones. */
export function setGroupedConvStrategy(strategy: GroupedConvStrategy): void {
  groupedStrategy = strategy;
}

/** Variables for the node's declared tensors; num_batches_tracked is a JS counter (BatchNorm2d.batchesTracked). */
function ownTensors(node: Conv2dNode | BatchNormNode, ctx: BuildContext) {
  return declareTensors(node, '')
    .filter((decl) => decl.role !== 'num_batches_tracked')
    .map((decl) => ({ decl, variable: ctx.variable(decl) }));
}

export class Conv2d extends Layer {
  private readonly pad: Padding;

  constructor(
    readonly node: Conv2dNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
    this.own.push(...ownTensors(node, ctx));
    this.pad = symmetricPadding(node.p);
  }

  get weight(): tf.Variable {
    return this.own[0].variable;
  }

  get bias(): tf.Variable | undefined {
    return this.own[1]?.variable;
  }

  forward(x: tf.Tensor4D, mode: ForwardMode = 'eval'): tf.Tensor4D {
    const { s, groups } = this.node;
    const y = groupedConv2d(x, this.weight as tf.Tensor4D, s, this.pad, groups, groupedStrategy, mode === 'train');
    return this.bias ? tf.add(y, this.bias) : y;
  }
}

export class BatchNorm2d extends Layer {
  /** PyTorch's num_batches_tracked: train-mode forwards so far (kept in JS; saved as I64). */
  batchesTracked = 0;

  constructor(
    readonly node: BatchNormNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
    this.own.push(...ownTensors(node, ctx));
  }

  private tensor(role: string): tf.Variable {
    return this.own.find((t) => t.decl.role === role)!.variable;
  }

  /** BN, then `act` (the activation that follows it in the model), as one fused op in training mode. */
  forward(x: tf.Tensor4D, mode: ForwardMode, act: FusedActivation = 'linear'): tf.Tensor4D {
    const gamma = this.tensor('bn_weight');
    const beta = this.tensor('bn_bias');
    const runningMean = this.tensor('running_mean');
    const runningVar = this.tensor('running_var');
    if (mode === 'eval') return activate(normalize(x, runningMean, runningVar, gamma, beta), act) as tf.Tensor4D;

    this.batchesTracked++;
    const settings = { eps: BN_EPS, act, momentum: BN_MOMENTUM, runningMean, runningVar };
    return batchNormActTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, settings);
  }
}

function normalize(x: tf.Tensor4D, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPS)));
  return tf.add(tf.mul(tf.sub(x, mean), scale), beta);
}

export function mish(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, tf.tanh(tf.softplus(x)));
}

export class Activation extends Layer {
  constructor(
    readonly node: ActivationNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    switch (this.node.fn) {
      case 'mish':
        return mish(x);
      case 'relu':
        return tf.relu(x);
      case 'sigmoid':
        return tf.sigmoid(x);
    }
  }
}

/** The activations a BN fuses with (sigmoid ends the SE gate and follows no BN). */
function fusable(fn: ActivationNode['fn']): FusedActivation | null {
  return fn === 'mish' || fn === 'relu' ? fn : null;
}

/** `act(bn(x))`, fused into one op when `bn` is a BatchNorm2d and `act` an activation it can fuse with. */
export function bnThenAct(bn: Layer, act: Layer, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  const fused = act instanceof Activation ? fusable(act.node.fn) : null;
  if (bn instanceof BatchNorm2d && fused) return bn.forward(x, mode, fused);
  return act.forward(bn.forward(x, mode), mode);
}

/** Runs `layers` in order, fusing each BatchNorm2d with the activation right after it. */
export function chainFused(layers: readonly Layer[], x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  let y = x;
  for (let i = 0; i < layers.length; i++) {
    const next = layers[i + 1];
    if (layers[i] instanceof BatchNorm2d && next instanceof Activation && fusable(next.node.fn)) {
      y = bnThenAct(layers[i], next, y, mode);
      i++;
    } else {
      y = layers[i].forward(y, mode);
    }
  }
  return y;
}

export class MaxPool2d extends Layer {
  constructor(
    readonly node: MaxPoolNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
  }

  /** tfjs pools skip out-of-range cells, which equals PyTorch's -inf padding; ceil mode needs a numeric pad. */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    const { k, s, p, ceil } = this.node;
    return tf.maxPool(x, k, s, p, ceil ? 'ceil' : 'floor');
  }
}

export class Upsample extends Layer {
  constructor(
    readonly node: UpsampleNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    return upsampleNearest(x, this.node.factor);
  }
}

/**
 * ×f nearest upsampling as reshape + broadcast (rank ≤ 4, so every backend has the kernels and the gradient is a
 * plain sum). tfjs' ResizeNearestNeighborGrad is wrong on the cpu backend for batch > 1.
 */
export function upsampleNearest(x: tf.Tensor4D, f: number): tf.Tensor4D {
  if (f === 1) return x;
  const [n, h, w, c] = x.shape;
  const wide = tf.broadcastTo(tf.reshape(x, [n * h, w, 1, c]), [n * h, w, f, c]);
  const tall = tf.broadcastTo(tf.reshape(wide, [n * h, 1, w * f * c]), [n * h, f, w * f * c]);
  return tf.reshape(tall, [n, h * f, w * f, c]);
}
