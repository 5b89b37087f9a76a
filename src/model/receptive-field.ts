/**
 * The theoretical receptive field of every layer of a plan: how many input pixels (a side) can reach one cell of its
 * output, and its jump (the input pixels between neighbouring cells, the stride so far). Walked through the module
 * tree: a conv or pool of kernel k, dilation d and stride s grows the field by (k − 1)·d·jump and the jump by s; an
 * upsample divides the jump; parallel branches (a 'list' such as SPP's pools, Concat's inputs) keep the largest field.
 * A residual block's shortcut and a ResNet block's `downsample` branch are parallel paths, never larger than the main
 * one, so they are skipped; so is a squeeze-excitation's global pooling (it would make the field the whole image).
 */
import type { ModelPlan } from './plan/parse';
import type { PlanNode } from './plan/nodes';

export interface ReceptiveField {
  /** Field side in input pixels. */
  size: number;
  /** Input pixels between neighbouring output cells. */
  jump: number;
}

const IDENTITY: ReceptiveField = { size: 1, jump: 1 };

/** Children that run beside the main path: they never widen the field more than it. */
const PARALLEL_CHILDREN = new Set(['downsample', 'se']);

function through(node: PlanNode, input: ReceptiveField): ReceptiveField {
  switch (node.kind) {
    case 'conv2d':
      return { size: input.size + (node.k - 1) * node.d * input.jump, jump: input.jump * node.s };
    case 'maxpool':
      return { size: input.size + (node.k - 1) * input.jump, jump: input.jump * node.s };
    case 'upsample':
      return { size: input.size, jump: input.jump / node.factor };
    case 'bn':
    case 'act':
    case 'concat':
    case 'Detect':
    case 'seBlock':
      return input;
    case 'list': {
      const branches = Object.values(node.children).map((child) => through(child, input));
      return branches.reduce((a, b) => (b.size > a.size ? b : a), input);
    }
    default: {
      let field = input;
      for (const [name, child] of Object.entries(node.children)) if (!PARALLEL_CHILDREN.has(name)) field = through(child, field);
      return field;
    }
  }
}

/** Per layer of the plan, its output's receptive field; a multi-input layer takes its widest input. */
export function receptiveFields(plan: ModelPlan): ReceptiveField[] {
  const fields: ReceptiveField[] = [];
  for (const layer of plan.layers) {
    const inputs = layer.inputs.map((i) => (i === -1 ? IDENTITY : fields[i]));
    const widest = inputs.reduce((a, b) => (b.size > a.size ? b : a));
    fields.push(through(layer.node, widest));
  }
  return fields;
}
