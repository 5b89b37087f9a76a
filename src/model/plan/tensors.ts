/** Parameter and buffer declarations derived from a plan tree: PyTorch names, PyTorch shapes, optimizer groups. */
import type { ParamGroup } from '../types';
import { childrenOf, type PlanNode } from './nodes';

export type TensorRole =
  | 'conv_weight'
  | 'conv_bias'
  | 'bn_weight'
  | 'bn_bias'
  | 'running_mean'
  | 'running_var'
  | 'num_batches_tracked';

export interface TensorDecl {
  /** PyTorch state_dict name, e.g. `model.4.cv1.bn.weight`. */
  name: string;
  /** PyTorch shape (conv weights OIHW). */
  shape: number[];
  role: TensorRole;
  /** Conv weight/bias: fan-in (in/groups·k·k) for PyTorch's default init bound 1/√fan_in. */
  fanIn?: number;
}

export const PARAMETER_ROLES: ReadonlySet<TensorRole> = new Set(['conv_weight', 'conv_bias', 'bn_weight', 'bn_bias']);

/**
 * ScaledYOLOv4 groups by name (`.bias` → 2, `.weight` outside `.bn` → 1, else 0). We group by role, which agrees for
 * every tensor except BNs not named `bn*` (the ResNet stem's `model.1` and `downsample.1`): those are BN weights and go
 * to group 0 (no weight decay), as the groups are meant.
 */
export function groupOf(role: TensorRole): ParamGroup {
  if (role === 'conv_bias' || role === 'bn_bias') return 2;
  if (role === 'conv_weight') return 1;
  return 0;
}

/** Every tensor of the subtree in state_dict order (a module's own tensors, then its children's). */
export function declareTensors(node: PlanNode, prefix: string): TensorDecl[] {
  const at = (leaf: string) => (prefix === '' ? leaf : `${prefix}.${leaf}`);
  if (node.kind === 'conv2d') {
    const fanIn = (node.c1 / node.groups) * node.k * node.k;
    const decls: TensorDecl[] = [
      { name: at('weight'), shape: [node.c2, node.c1 / node.groups, node.k, node.k], role: 'conv_weight', fanIn },
    ];
    if (node.bias) decls.push({ name: at('bias'), shape: [node.c2], role: 'conv_bias', fanIn });
    return decls;
  }
  if (node.kind === 'bn') {
    return [
      { name: at('weight'), shape: [node.c], role: 'bn_weight' },
      { name: at('bias'), shape: [node.c], role: 'bn_bias' },
      { name: at('running_mean'), shape: [node.c], role: 'running_mean' },
      { name: at('running_var'), shape: [node.c], role: 'running_var' },
      { name: at('num_batches_tracked'), shape: [], role: 'num_batches_tracked' },
    ];
  }
  return Object.entries(childrenOf(node)).flatMap(([name, child]) => declareTensors(child, at(name)));
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Parameter tensors and their total element count (the summary's `layers` and `parameters`). */
export function countParameters(node: PlanNode): { tensors: number; elements: number } {
  const params = declareTensors(node, '').filter((d) => PARAMETER_ROLES.has(d.role));
  return { tensors: params.length, elements: params.reduce((sum, d) => sum + elementCount(d.shape), 0) };
}
