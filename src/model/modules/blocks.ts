/** The composite modules' forward passes (structure and names come from ../plan/blocks.ts). */
import * as tf from '@tensorflow/tfjs';
import type { CompositeNode } from '../plan/nodes';
import type { ForwardMode } from '../types';
import { bnThenAct, chainFused } from './leaves';
import { chain, Layer, type BuildContext } from './module';

abstract class Composite extends Layer {
  constructor(
    readonly node: CompositeNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
  }

  protected run(name: string, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return this.child(name).forward(x, mode);
  }

  /** act(bn(x)) for two named children, fused where they are a BN and its activation. */
  protected runBnAct(bn: string, act: string, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return bnThenAct(this.child(bn), this.child(act), x, mode);
  }

  protected layers(): Layer[] {
    return [...this.children.values()] as Layer[];
  }
}

const catChannels = (xs: tf.Tensor4D[]) => tf.concat(xs, 3);

/** nn.Sequential. */
export class Sequential extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return chainFused(this.layers(), x, mode);
  }
}

/** nn.ModuleList: holds children; its owner calls them. */
export class ModuleList extends Composite {
  items(): Layer[] {
    return this.layers();
  }

  forward(): tf.Tensor4D {
    throw new Error('a ModuleList is not called directly');
  }
}

/** Conv → BN → Mish; also resLayer (`layers`), whose children simply run in order. */
export class InOrder extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    return chainFused(this.layers(), x, mode);
  }
}

export class Bottleneck extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const y = this.run('cv2', this.run('cv1', x, mode), mode);
    return this.node.residual ? tf.add(x, y) : y;
  }
}

export class BottleneckCSP extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const y1 = this.run('cv3', this.run('m', this.run('cv1', x, mode), mode), mode);
    const y2 = this.run('cv2', x, mode);
    return this.run('cv4', this.runBnAct('bn', 'act', catChannels([y1, y2]), mode), mode);
  }
}

export class BottleneckCSP2 extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const x1 = this.run('cv1', x, mode);
    const y1 = this.run('m', x1, mode);
    const y2 = this.run('cv2', x1, mode);
    return this.run('cv3', this.runBnAct('bn', 'act', catChannels([y1, y2]), mode), mode);
  }
}

export class SPPCSP extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const x1 = this.run('cv4', this.run('cv3', this.run('cv1', x, mode), mode), mode);
    const pools = this.child<ModuleList>('m')
      .items()
      .map((pool) => pool.forward(x1, mode));
    const y1 = this.run('cv6', this.run('cv5', catChannels([x1, ...pools]), mode), mode);
    const y2 = this.run('cv2', x, mode);
    return this.run('cv7', this.runBnAct('bn', 'act', catChannels([y1, y2]), mode), mode);
  }
}

/** torchvision Bottleneck and the seed's seresBottleneck (which adds `se` after bn3). */
export class ResBottleneck extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const relu = (t: tf.Tensor4D) => this.run('relu', t, mode);
    let out = this.runBnAct('bn1', 'relu', this.run('conv1', x, mode), mode);
    out = this.runBnAct('bn2', 'relu', this.run('conv2', out, mode), mode);
    out = this.run('bn3', this.run('conv3', out, mode), mode);
    if (this.hasChild('se')) out = this.run('se', out, mode);
    const identity = this.hasChild('downsample') ? this.run('downsample', x, mode) : x;
    return relu(tf.add(out, identity));
  }
}

/** Squeeze-and-excitation: global average → 1×1 conv → ReLU → 1×1 conv → sigmoid, scaling the input. */
export class SEBlock extends Composite {
  forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
    const squeezed = tf.mean(x, [1, 2], true) as tf.Tensor4D;
    const gate = chain(['conv1', 'relu', 'conv2', 'sigmoid'].map((n) => this.child(n)), squeezed, mode);
    return tf.mul(x, gate);
  }
}
