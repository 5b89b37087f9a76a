/** Plan node → tfjs module, one class per node kind. */
import type { PlanNode } from '../plan/nodes';
import { Bottleneck, BottleneckCSP, BottleneckCSP2, InOrder, ModuleList, ResBottleneck, SEBlock, Sequential, SPPCSP } from './blocks';
import { Detect } from './detect';
import { Activation, BatchNorm2d, Conv2d, MaxPool2d, Upsample } from './leaves';
import { Module, type BuildContext } from './module';

/** Concat has no tensors; the model joins its inputs. */
export class Concat extends Module {}

export function instantiate(node: PlanNode, ctx: BuildContext): Module {
  switch (node.kind) {
    case 'conv2d':
      return new Conv2d(node, ctx);
    case 'bn':
      return new BatchNorm2d(node, ctx);
    case 'act':
      return new Activation(node, ctx);
    case 'maxpool':
      return new MaxPool2d(node, ctx);
    case 'upsample':
      return new Upsample(node, ctx);
    case 'concat':
      return new Concat(node, ctx);
    case 'Detect':
      return new Detect(node, ctx);
    case 'seq':
      return new Sequential(node, ctx);
    case 'list':
      return new ModuleList(node, ctx);
    case 'Conv':
    case 'resLayer':
      return new InOrder(node, ctx);
    case 'Bottleneck':
      return new Bottleneck(node, ctx);
    case 'BottleneckCSP':
      return new BottleneckCSP(node, ctx);
    case 'BottleneckCSP2':
      return new BottleneckCSP2(node, ctx);
    case 'SPPCSP':
      return new SPPCSP(node, ctx);
    case 'resBottleneck':
    case 'seresBottleneck':
      return new ResBottleneck(node, ctx);
    case 'seBlock':
      return new SEBlock(node, ctx);
  }
}
