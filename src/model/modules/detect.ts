/** Detect: one 1×1 conv (with bias) per level, reshaped to PyTorch's training layout [N, na, ny, nx, nc+5]. */
import * as tf from '@tensorflow/tfjs';
import type { DetectNode } from '../plan/nodes';
import type { ForwardMode } from '../types';
import { ModuleList } from './blocks';
import type { Conv2d } from './leaves';
import { Module, type BuildContext } from './module';

export class Detect extends Module {
  constructor(
    readonly node: DetectNode,
    ctx: BuildContext,
  ) {
    super(node, ctx);
  }

  get convs(): Conv2d[] {
    return this.child<ModuleList>('m').items() as Conv2d[];
  }

  forwardLevels(xs: tf.Tensor4D[], mode: ForwardMode): tf.Tensor5D[] {
    const na = this.node.anchors[0].length;
    const no = this.node.nc + 5;
    return this.convs.map((conv, level) => {
      const y = conv.forward(xs[level], mode);
      const [n, ny, nx] = y.shape;
      return tf.transpose(tf.reshape(y, [n, ny, nx, na, no]), [0, 3, 1, 2, 4]) as tf.Tensor5D;
    });
  }
}

/** ScaledYOLOv4's bias prior: obj += log(8/(640/s)²) (8 objects per 640² image), cls += log(0.6/(nc − 0.99)). */
export function detectBiasPrior(nc: number, na: number, stride: number): Float32Array {
  const no = nc + 5;
  const prior = new Float32Array(na * no);
  for (let a = 0; a < na; a++) {
    prior[a * no + 4] = Math.log(8 / (640 / stride) ** 2);
    for (let c = 0; c < nc; c++) prior[a * no + 5 + c] = Math.log(0.6 / (nc - 0.99));
  }
  return prior;
}
