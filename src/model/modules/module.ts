/**
 * A tiny PyTorch-like module tree over tf.Variables. Each module is built from a plan node (../plan/nodes.ts) and
 * creates its children from the node's children, so names and order follow the plan, i.e. PyTorch's state_dict.
 */
import type * as tf from '@tensorflow/tfjs';
import { childrenOf, type PlanNode } from '../plan/nodes';
import type { TensorDecl } from '../plan/tensors';
import type { ForwardMode } from '../types';

export interface BuildContext {
  build(node: PlanNode): Module;
  /** Creates a variable for a declared tensor (initialised as PyTorch does; conv weights in HWIO). */
  variable(decl: TensorDecl): tf.Variable;
}

export interface OwnTensor {
  decl: TensorDecl;
  variable: tf.Variable;
}

export interface NamedTensor extends OwnTensor {
  name: string;
}

export class Module {
  protected readonly children = new Map<string, Module>();
  protected readonly own: OwnTensor[] = [];

  constructor(node: PlanNode, ctx: BuildContext) {
    for (const [name, child] of Object.entries(childrenOf(node))) this.children.set(name, ctx.build(child));
  }

  protected child<M extends Module = Layer>(name: string): M {
    const found = this.children.get(name);
    if (found === undefined) throw new Error(`${this.constructor.name} has no child '${name}'`);
    return found as M;
  }

  protected hasChild(name: string): boolean {
    return this.children.has(name);
  }

  /** Own tensors, then each child's, with PyTorch names under `prefix`. */
  *namedTensors(prefix: string): Generator<NamedTensor> {
    for (const t of this.own) yield { ...t, name: `${prefix}.${t.decl.name}` };
    for (const [name, child] of this.children) yield* child.namedTensors(`${prefix}.${name}`);
  }

  childEntries(): IterableIterator<[string, Module]> {
    return this.children.entries();
  }
}

/** A module with one input and one output. */
export abstract class Layer extends Module {
  abstract forward(x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D;
}

/** Runs `layers` one after another. */
export function chain(layers: Iterable<Layer>, x: tf.Tensor4D, mode: ForwardMode): tf.Tensor4D {
  let y = x;
  for (const layer of layers) y = layer.forward(y, mode);
  return y;
}
