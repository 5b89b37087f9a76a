/**
 * The fixed module registry: YAML module name → how to read its args and plan it. Nothing from the YAML is
 * evaluated; a name outside this table is an error.
 */
import {
  bool,
  exactly,
  expectArgCount,
  isNone,
  noneOr,
  nonNegInt,
  posInt,
  posIntList,
  positiveNumber,
  readArg,
  RowProblem,
  show,
} from './args';
import {
  bottleneck,
  bottleneckCSP,
  bottleneckCSP2,
  bottleneckWidth,
  conv2d,
  convBnMish,
  detect,
  RES_EXPANSION,
  resLayer,
  sppcsp,
} from './blocks';
import type { PlanNode } from './nodes';

export interface RowContext {
  args: readonly unknown[];
  /** Channels of each input layer, in `from` order. */
  cins: number[];
  /** Strides of each input layer. */
  inputStrides: number[];
  /** The row's `number` after depth scaling. */
  n: number;
  /** make_divisible(c·width_multiple, 8), except for Detect's output count (as parse_model does). */
  scaleChannels(c: number): number;
  nc: number;
  /** The YAML's top-level anchors, pixels, per level. */
  anchors: [number, number][][];
}

export interface RowPlan {
  node: PlanNode;
  c2: number;
  /** Output stride ÷ input stride (0.5 for ×2 upsampling). */
  strideFactor: number;
  /** The summary's arguments column, as the seed prints them (constructor args after parse_model's insertions). */
  printArgs: unknown[];
  /** The summary's n column. */
  printN: number;
}

export interface ModuleDef {
  /** true: n > 1 repeats the module n times in an nn.Sequential (needs in == out channels). */
  repeatable: boolean;
  /** Number of inputs: Concat and Detect take a list. */
  multiInput: boolean;
  plan(ctx: RowContext): RowPlan;
}

const single = (ctx: RowContext) => ctx.cins[0];

/** Conv(c2, k=1, s=1, p=None, g=1, act=True). */
const Conv: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 1, 6, '[c2, k=1, s=1, p=None, g=1, act=True]');
    const c1 = single(ctx);
    const c2 = ctx.scaleChannels(readArg(a, 0, 'c2', posInt));
    const k = readArg(a, 1, 'k', posInt, 1);
    const s = readArg(a, 2, 's', posInt, 1);
    const p = readArg(a, 3, 'p', noneOr(nonNegInt), null);
    const g = readArg(a, 4, 'g', posInt, 1);
    const act = readArg(a, 5, 'act', bool, true);
    checkGroups(c1, c2, g, 4);
    return { node: convBnMish(c1, c2, k, s, p, g, act), c2, strideFactor: s, printArgs: [c1, c2, ...a.slice(1)], printN: ctx.n };
  },
};

function checkGroups(c1: number, c2: number, groups: number, arg: number): void {
  if (c1 % groups !== 0 || c2 % groups !== 0) {
    throw new RowProblem(`groups=${groups} must divide both in channels (${c1}) and out channels (${c2})`, arg);
  }
}

/** Bottleneck(c2, shortcut=True, g=1, e=0.5). */
const Bottleneck: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 1, 4, '[c2, shortcut=True, g=1, e=0.5]');
    const c1 = single(ctx);
    const c2 = ctx.scaleChannels(readArg(a, 0, 'c2', posInt));
    const shortcut = readArg(a, 1, 'shortcut', bool, true);
    const g = readArg(a, 2, 'g', posInt, 1);
    const e = readArg(a, 3, 'e', positiveNumber, 0.5);
    const hidden = Math.floor(c2 * e);
    if (hidden < 1) throw new RowProblem(`hidden channels int(${c2}·${e}) must be ≥ 1`, 3);
    checkGroups(hidden, c2, g, 2);
    return { node: bottleneck(c1, c2, shortcut, g, e), c2, strideFactor: 1, printArgs: [c1, c2, ...a.slice(1)], printN: ctx.n };
  },
};

/** The CSP modules take n as their inner bottleneck count; the layer is built once and prints n = 1. */
function cspDef(kind: 'BottleneckCSP' | 'BottleneckCSP2'): ModuleDef {
  const shortcutDefault = kind === 'BottleneckCSP';
  return {
    repeatable: false,
    multiInput: false,
    plan(ctx) {
      const a = ctx.args;
      expectArgCount(a, 1, 4, `[c2, shortcut=${shortcutDefault ? 'True' : 'False'}, g=1, e=0.5]`);
      const c1 = single(ctx);
      const c2 = ctx.scaleChannels(readArg(a, 0, 'c2', posInt));
      const shortcut = readArg(a, 1, 'shortcut', bool, shortcutDefault);
      const g = readArg(a, 2, 'g', posInt, 1);
      const e = readArg(a, 3, 'e', positiveNumber, 0.5);
      const hidden = kind === 'BottleneckCSP' ? Math.floor(c2 * e) : c2;
      if (hidden < 1) throw new RowProblem(`hidden channels int(${c2}·${e}) must be ≥ 1`, 3);
      checkGroups(hidden, hidden, g, 2);
      const node =
        kind === 'BottleneckCSP' ? bottleneckCSP(c1, c2, ctx.n, shortcut, g, e) : bottleneckCSP2(c1, c2, ctx.n, shortcut, g);
      return { node, c2, strideFactor: 1, printArgs: [c1, c2, ctx.n, ...a.slice(1)], printN: 1 };
    },
  };
}

/** SPPCSP(c2, shortcut, g, e=0.5, k=[5,9,13]); shortcut and g are accepted and unused, as in ScaledYOLOv4. */
const SPPCSP: ModuleDef = {
  repeatable: false,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 1, 5, '[c2, shortcut=False, g=1, e=0.5, k=[5, 9, 13]]');
    const c1 = single(ctx);
    const c2 = ctx.scaleChannels(readArg(a, 0, 'c2', posInt));
    readArg(a, 1, 'shortcut', bool, false);
    readArg(a, 2, 'g', posInt, 1);
    const e = readArg(a, 3, 'e', positiveNumber, 0.5);
    const kernels = readArg(a, 4, 'k', posIntList, [5, 9, 13]);
    if (kernels.some((k) => k % 2 === 0)) throw new RowProblem(`pool sizes must be odd, got ${show(kernels)}`, 4);
    if (Math.floor(2 * c2 * e) < 1) throw new RowProblem(`hidden channels int(2·${c2}·${e}) must be ≥ 1`, 3);
    return { node: sppcsp(c1, c2, e, kernels), c2, strideFactor: 1, printArgs: [c1, c2, ctx.n, ...a.slice(1)], printN: 1 };
  },
};

const Concat: ModuleDef = {
  repeatable: false,
  multiInput: true,
  plan(ctx) {
    expectArgCount(ctx.args, 0, 1, '[dimension=1]');
    readArg(ctx.args, 0, 'dimension', exactly(1, 'must be 1 (channels)'), 1);
    const stride = ctx.inputStrides[0];
    const other = ctx.inputStrides.find((s) => s !== stride);
    if (other !== undefined) {
      throw new RowProblem(`inputs have different strides (${ctx.inputStrides.join(', ')}); Concat needs equal sizes`, undefined, 'from');
    }
    const c2 = ctx.cins.reduce((x, y) => x + y, 0);
    return { node: { kind: 'concat' }, c2, strideFactor: 1, printArgs: [...ctx.args], printN: ctx.n };
  },
};

/** nn.Upsample(size=None, scale_factor, mode='nearest'); integer factors only. */
const Upsample: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 3, 3, "[None, scale_factor, 'nearest']");
    readArg(a, 0, 'size', (v) => (isNone(v) ? null : { error: `must be None (use scale_factor), got ${show(v)}` }));
    const factor = readArg(a, 1, 'scale_factor', posInt);
    readArg(a, 2, 'mode', exactly('nearest', "must be 'nearest'"));
    return { node: { kind: 'upsample', factor }, c2: single(ctx), strideFactor: 1 / factor, printArgs: [...a], printN: ctx.n };
  },
};

/** nn.Conv2d(c2, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True). */
const TorchConv2d: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 2, 7, '[c2, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True]');
    const c1 = single(ctx);
    const c2 = ctx.scaleChannels(readArg(a, 0, 'c2', posInt));
    const k = readArg(a, 1, 'kernel_size', posInt);
    const s = readArg(a, 2, 'stride', posInt, 1);
    const p = readArg(a, 3, 'padding', nonNegInt, 0);
    const d = readArg(a, 4, 'dilation', exactly(1, 'must be 1 (dilated convs are not supported)'), 1);
    const g = readArg(a, 5, 'groups', posInt, 1);
    const bias = readArg(a, 6, 'bias', bool, true);
    checkGroups(c1, c2, g, 5);
    return { node: conv2d(c1, c2, k, s, p, g, bias, d), c2, strideFactor: s, printArgs: [c1, c2, ...a.slice(1)], printN: ctx.n };
  },
};

/** nn.BatchNorm2d: its channel count is the input's (parse_model replaces the args with [ch[f]]). */
const TorchBatchNorm2d: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    expectArgCount(ctx.args, 0, 1, '[num_features]');
    readArg(ctx.args, 0, 'num_features', posInt, 0);
    const c = single(ctx);
    return { node: { kind: 'bn', c }, c2: c, strideFactor: 1, printArgs: [c], printN: ctx.n };
  },
};

const TorchReLU: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    expectArgCount(ctx.args, 0, 1, '[inplace=False]');
    readArg(ctx.args, 0, 'inplace', bool, false);
    return { node: { kind: 'act', fn: 'relu' }, c2: single(ctx), strideFactor: 1, printArgs: [...ctx.args], printN: ctx.n };
  },
};

/** nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=False, ceil_mode=False). */
const TorchMaxPool2d: ModuleDef = {
  repeatable: true,
  multiInput: false,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 1, 6, '[kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=False, ceil_mode=False]');
    const k = readArg(a, 0, 'kernel_size', posInt);
    const s = readArg(a, 1, 'stride', noneOr(posInt), null) ?? k;
    const p = readArg(a, 2, 'padding', nonNegInt, 0);
    readArg(a, 3, 'dilation', exactly(1, 'must be 1'), 1);
    readArg(a, 4, 'return_indices', exactly(false, 'must be False'), false);
    const ceil = readArg(a, 5, 'ceil_mode', bool, false);
    if (2 * p > k) throw new RowProblem(`padding ${p} must be at most half the kernel size ${k}`, 2);
    return { node: { kind: 'maxpool', k, s, p, ceil }, c2: single(ctx), strideFactor: s, printArgs: [...a], printN: ctx.n };
  },
};

/**
 * resLayer/seresLayer(planes, stride=1, groups=1, width_per_group=64, downsample=False); parse_model inserts c1 and n.
 * Scaling: planes → make_divisible(planes·width, 8), blocks → max(round(n·depth), 1); groups and width_per_group stay,
 * so the bottleneck width int(planes·width_per_group/64)·groups is always a multiple of groups, and must be positive.
 */
function resLayerDef(se: boolean): ModuleDef {
  return {
    repeatable: false,
    multiInput: false,
    plan(ctx) {
      const a = ctx.args;
      expectArgCount(a, 1, 5, '[planes, stride=1, groups=1, width_per_group=64, downsample=False]');
      const c1 = single(ctx);
      const planes = ctx.scaleChannels(readArg(a, 0, 'planes', posInt));
      const stride = readArg(a, 1, 'stride', posInt, 1);
      const groups = readArg(a, 2, 'groups', posInt, 1);
      const widthPerGroup = readArg(a, 3, 'width_per_group', posInt, 64);
      const downsample = readArg(a, 4, 'downsample', bool, false);
      const width = bottleneckWidth(planes, groups, widthPerGroup);
      if (width === 0) {
        throw new RowProblem(
          `bottleneck width int(planes·width_per_group/64)·groups = int(${planes}·${widthPerGroup}/64)·${groups} is 0; ` +
            `groups=${groups} does not divide a positive width at this scale (raise width_per_group or planes)`,
          2,
        );
      }
      if (!downsample && (stride !== 1 || c1 !== planes * RES_EXPANSION)) {
        throw new RowProblem(
          `the first block needs downsample=True: its input (${c1} ch, stride ${stride}) differs from its output (${planes * RES_EXPANSION} ch, stride 1)`,
          4,
        );
      }
      const node = resLayer(se, { c1, planes, stride, groups, widthPerGroup, downsample }, ctx.n);
      return {
        node,
        c2: planes * RES_EXPANSION,
        strideFactor: stride,
        printArgs: [c1, planes, ctx.n, stride, groups, widthPerGroup, downsample],
        printN: ctx.n,
      };
    },
  };
}

/** Detect(nc, anchors); 'nc' and 'anchors' name the YAML's top-level values. */
const Detect: ModuleDef = {
  repeatable: false,
  multiInput: true,
  plan(ctx) {
    const a = ctx.args;
    expectArgCount(a, 2, 2, '[nc, anchors]');
    const nc = readArg(a, 0, 'nc', (v) => (v === 'nc' ? ctx.nc : posInt(v)));
    const anchors = readArg(a, 1, 'anchors', (v) => (v === 'anchors' ? ctx.anchors : { error: `must be 'anchors' (the top-level list), got ${show(v)}` }));
    if (anchors.length !== ctx.cins.length) {
      throw new RowProblem(`has ${ctx.cins.length} inputs but ${anchors.length} anchor levels`, undefined, 'from');
    }
    const strides = ctx.inputStrides;
    const ordered = areaOrderMatchesStride(anchors, strides) ? anchors : [...anchors].reverse();
    const node = detect(nc, ordered, ctx.cins, strides);
    const printAnchors = ordered.map((level) => level.flat());
    return { node, c2: 0, strideFactor: 1, printArgs: [nc, printAnchors, ctx.cins], printN: ctx.n };
  },
};

/** ScaledYOLOv4's check_anchor_order: anchor area must grow with stride, else the levels are flipped. */
function areaOrderMatchesStride(anchors: [number, number][][], strides: number[]): boolean {
  const areas = anchors.flat().map(([w, h]) => w * h);
  const da = areas[areas.length - 1] - areas[0];
  const ds = strides[strides.length - 1] - strides[0];
  return Math.sign(da) === Math.sign(ds);
}

export const MODULES: Readonly<Record<string, ModuleDef>> = {
  Conv,
  Bottleneck,
  BottleneckCSP: cspDef('BottleneckCSP'),
  BottleneckCSP2: cspDef('BottleneckCSP2'),
  SPPCSP,
  Concat,
  'nn.Upsample': Upsample,
  Detect,
  'nn.Conv2d': TorchConv2d,
  'nn.BatchNorm2d': TorchBatchNorm2d,
  'nn.ReLU': TorchReLU,
  'nn.MaxPool2d': TorchMaxPool2d,
  resLayer: resLayerDef(false),
  seresLayer: resLayerDef(true),
};
