/**
 * Plan builders for every module, with ScaledYOLOv4's and the seed's attribute names and constructor defaults.
 * Facts: ../../../shared/reference/yolov4-csp-facts.md §(b); resLayer/seresLayer from the seed's common.py, with
 * torchvision's Bottleneck (stride and groups on the 3×3) for resLayer.
 */
import { indexed, type CompositeNode, type Conv2dNode, type DetectNode, type PlanNode } from './nodes';

export function conv2d(c1: number, c2: number, k: number, s = 1, p = 0, groups = 1, bias = false, d = 1): Conv2dNode {
  return { kind: 'conv2d', c1, c2, k, s, p, d, groups, bias };
}

const bn = (c: number): PlanNode => ({ kind: 'bn', c });
const mish = (): PlanNode => ({ kind: 'act', fn: 'mish' });
const relu = (): PlanNode => ({ kind: 'act', fn: 'relu' });

/** Conv = Conv2d(k, s, pad k//2 unless given, no bias) → BN → Mish (or identity when act is false). */
export function convBnMish(c1: number, c2: number, k = 1, s = 1, p: number | null = null, groups = 1, act = true): CompositeNode {
  const children: Record<string, PlanNode> = {
    conv: conv2d(c1, c2, k, s, p ?? Math.floor(k / 2), groups),
    bn: bn(c2),
  };
  if (act) children.act = mish();
  return { kind: 'Conv', children };
}

export function bottleneck(c1: number, c2: number, shortcut = true, groups = 1, e = 0.5): CompositeNode {
  const hidden = Math.floor(c2 * e);
  return {
    kind: 'Bottleneck',
    children: { cv1: convBnMish(c1, hidden, 1, 1), cv2: convBnMish(hidden, c2, 3, 1, null, groups) },
    residual: shortcut && c1 === c2,
  };
}

const bottlenecks = (c: number, n: number, shortcut: boolean, groups: number) =>
  indexed('seq', Array.from({ length: n }, () => bottleneck(c, c, shortcut, groups, 1.0)));

export function bottleneckCSP(c1: number, c2: number, n = 1, shortcut = true, groups = 1, e = 0.5): CompositeNode {
  const hidden = Math.floor(c2 * e);
  return {
    kind: 'BottleneckCSP',
    children: {
      cv1: convBnMish(c1, hidden, 1, 1),
      cv2: conv2d(c1, hidden, 1),
      cv3: conv2d(hidden, hidden, 1),
      cv4: convBnMish(2 * hidden, c2, 1, 1),
      bn: bn(2 * hidden),
      act: mish(),
      m: bottlenecks(hidden, n, shortcut, groups),
    },
  };
}

/** The head's CSP: no channel halving, no residual by default (e is accepted for signature parity and unused). */
export function bottleneckCSP2(c1: number, c2: number, n = 1, shortcut = false, groups = 1): CompositeNode {
  const hidden = c2;
  return {
    kind: 'BottleneckCSP2',
    children: {
      cv1: convBnMish(c1, hidden, 1, 1),
      cv2: conv2d(hidden, hidden, 1),
      cv3: convBnMish(2 * hidden, c2, 1, 1),
      bn: bn(2 * hidden),
      act: mish(),
      m: bottlenecks(hidden, n, shortcut, groups),
    },
  };
}

export function sppcsp(c1: number, c2: number, e = 0.5, kernels: number[] = [5, 9, 13]): CompositeNode {
  const hidden = Math.floor(2 * c2 * e);
  return {
    kind: 'SPPCSP',
    children: {
      cv1: convBnMish(c1, hidden, 1, 1),
      cv2: conv2d(c1, hidden, 1),
      cv3: convBnMish(hidden, hidden, 3, 1),
      cv4: convBnMish(hidden, hidden, 1, 1),
      m: indexed('list', kernels.map((k) => ({ kind: 'maxpool', k, s: 1, p: Math.floor(k / 2), ceil: false }))),
      cv5: convBnMish(4 * hidden, hidden, 1, 1),
      cv6: convBnMish(hidden, hidden, 3, 1),
      bn: bn(2 * hidden),
      act: mish(),
      cv7: convBnMish(2 * hidden, c2, 1, 1),
    },
  };
}

export const RES_EXPANSION = 4;

/** torchvision/seed bottleneck width: int(planes·width_per_group/64)·groups. */
export function bottleneckWidth(planes: number, groups: number, widthPerGroup: number): number {
  return Math.floor((planes * widthPerGroup) / 64) * groups;
}

function downsampleBranch(c1: number, planes: number, stride: number): CompositeNode {
  return indexed('seq', [conv2d(c1, planes * RES_EXPANSION, 1, stride), bn(planes * RES_EXPANSION)]);
}

interface ResBlockArgs {
  c1: number;
  planes: number;
  stride: number;
  groups: number;
  widthPerGroup: number;
  downsample: boolean;
}

/** torchvision Bottleneck: conv1 1×1 → conv2 3×3 (stride, groups) → conv3 1×1, ReLU, residual. */
function resBottleneck(a: ResBlockArgs): CompositeNode {
  const width = bottleneckWidth(a.planes, a.groups, a.widthPerGroup);
  const out = a.planes * RES_EXPANSION;
  const children: Record<string, PlanNode> = {
    conv1: conv2d(a.c1, width, 1),
    bn1: bn(width),
    conv2: conv2d(width, width, 3, a.stride, 1, a.groups),
    bn2: bn(width),
    conv3: conv2d(width, out, 1),
    bn3: bn(out),
    relu: relu(),
  };
  if (a.downsample) children.downsample = downsampleBranch(a.c1, a.planes, a.stride);
  return { kind: 'resBottleneck', children, residual: true };
}

/** The seed's seresBottleneck: stride on conv1 (1×1), no groups on the 3×3, SE on bn3's output. */
function seresBottleneck(a: ResBlockArgs): CompositeNode {
  const width = bottleneckWidth(a.planes, a.groups, a.widthPerGroup);
  const out = a.planes * RES_EXPANSION;
  const reduced = Math.floor(out / 16);
  const children: Record<string, PlanNode> = {
    conv1: conv2d(a.c1, width, 1, a.stride),
    bn1: bn(width),
    conv2: conv2d(width, width, 3, 1, 1),
    bn2: bn(width),
    conv3: conv2d(width, out, 1),
    bn3: bn(out),
    relu: relu(),
    se: {
      kind: 'seBlock',
      children: { conv1: conv2d(out, reduced, 1, 1, 0, 1, true), relu: relu(), conv2: conv2d(reduced, out, 1, 1, 0, 1, true), sigmoid: { kind: 'act', fn: 'sigmoid' } },
    },
  };
  if (a.downsample) children.downsample = downsampleBranch(a.c1, a.planes, a.stride);
  return { kind: 'seresBottleneck', children, residual: true };
}

/** resLayer/seresLayer: the first block takes c1, stride and the downsample flag; the rest are stride 1 without. */
export function resLayer(se: boolean, first: ResBlockArgs, blocks: number): CompositeNode {
  const block = se ? seresBottleneck : resBottleneck;
  const list = [block(first)];
  for (let b = 1; b < blocks; b++) {
    list.push(block({ ...first, c1: first.planes * RES_EXPANSION, stride: 1, downsample: false }));
  }
  return { kind: 'resLayer', children: { layers: indexed('seq', list) } };
}

export function detect(nc: number, anchors: [number, number][][], channels: number[], strides: number[]): DetectNode {
  const outputs = anchors[0].length * (nc + 5);
  return {
    kind: 'Detect',
    children: { m: indexed('list', channels.map((c) => conv2d(c, outputs, 1, 1, 0, 1, true))) },
    nc,
    anchors,
    strides,
  };
}
