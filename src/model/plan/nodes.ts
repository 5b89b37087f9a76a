/**
 * The pure description of a built model: a tree of nodes that mirrors the PyTorch module tree (same child names, same
 * order). Parameter names, shapes and counts come from this tree alone, so the summary needs no tensors, and the tfjs
 * modules (../modules) are instantiated from the same tree, so the two can never disagree.
 */

export interface Conv2dNode {
  kind: 'conv2d';
  c1: number;
  c2: number;
  k: number;
  s: number;
  /** Symmetric zero padding, in pixels. */
  p: number;
  d: number;
  groups: number;
  bias: boolean;
}

export interface BatchNormNode {
  kind: 'bn';
  c: number;
}

export interface ActivationNode {
  kind: 'act';
  fn: 'mish' | 'relu' | 'sigmoid';
}

export interface MaxPoolNode {
  kind: 'maxpool';
  k: number;
  s: number;
  /** Symmetric padding; padded cells never win (PyTorch pads with -inf). */
  p: number;
  ceil: boolean;
}

export interface UpsampleNode {
  kind: 'upsample';
  factor: number;
}

export interface ConcatNode {
  kind: 'concat';
}

export type LeafNode = Conv2dNode | BatchNormNode | ActivationNode | MaxPoolNode | UpsampleNode | ConcatNode;

/** Composite modules; the tfjs side has one class per kind. `seq` runs its children in order, `list` only holds them. */
export type CompositeKind =
  | 'seq'
  | 'list'
  | 'Conv'
  | 'Bottleneck'
  | 'BottleneckCSP'
  | 'BottleneckCSP2'
  | 'SPPCSP'
  | 'resLayer'
  | 'resBottleneck'
  | 'seresBottleneck'
  | 'seBlock';

export interface CompositeNode {
  kind: CompositeKind;
  /** Child modules by attribute name, in PyTorch registration order. */
  children: Record<string, PlanNode>;
  /** Bottleneck / resBottleneck: add the block input to its output. */
  residual?: boolean;
}

export interface DetectNode {
  kind: 'Detect';
  children: { m: CompositeNode };
  nc: number;
  /** Anchors per level in input pixels, after the area-vs-stride order check. */
  anchors: [number, number][][];
  strides: number[];
}

export type PlanNode = LeafNode | CompositeNode | DetectNode;

export function childrenOf(node: PlanNode): Record<string, PlanNode> {
  return 'children' in node ? node.children : {};
}

/** A Sequential/ModuleList of nodes, named 0, 1, 2, ... */
export function indexed(kind: 'seq' | 'list', nodes: PlanNode[]): CompositeNode {
  const children: Record<string, PlanNode> = {};
  nodes.forEach((node, i) => (children[String(i)] = node));
  return { kind, children };
}
