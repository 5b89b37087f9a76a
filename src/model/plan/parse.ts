/**
 * parse_model: YAML text → ModelPlan, a pure description of every layer (inputs, channels, stride, module tree).
 * Collects every problem it can find (with line numbers) instead of stopping at the first.
 */
import { ModelYamlError, type YamlProblem } from '../errors';
import { makeDivisible, SCALES, scaleDepth, type BuildOptions } from '../scale';
import { loadPositionedYaml, type PosNode, type SourcePos } from '../yaml-positions';
import { RowProblem, show } from './args';
import { indexed, type DetectNode, type PlanNode } from './nodes';
import { MODULES } from './registry';

export interface LayerPlan {
  i: number;
  /** `from` as written in the YAML. */
  from: number | number[];
  /** Absolute input layer indices; -1 is the image. */
  inputs: number[];
  /** The summary's n column. */
  n: number;
  module: string;
  args: unknown[];
  node: PlanNode;
  channels: number;
  stride: number;
  line: number;
}

export interface ModelPlan {
  nc: number;
  depthMultiple: number;
  widthMultiple: number;
  layers: LayerPlan[];
  /** How many of `layers` the YAML's `backbone:` list holds (the rest is `head:`). */
  backboneLayers: number;
  detect: DetectNode;
}

const INPUT_CHANNELS = 3;

const ROW_FIELDS = ['from', 'number', 'module', 'args'] as const;
type RowField = (typeof ROW_FIELDS)[number];

interface RowRef {
  section: 'backbone' | 'head';
  index: number;
  value: unknown;
  pos: PosNode | undefined;
}

class ProblemList {
  readonly items: YamlProblem[] = [];
  add(pos: SourcePos | undefined, message: string, row?: string): void {
    this.items.push({ line: pos?.line ?? 1, column: pos?.column, row, message });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readAnchors(value: unknown, pos: PosNode | undefined, problems: ProblemList): [number, number][][] {
  const fail = (message: string, at = pos) => {
    problems.add(at?.pos, `anchors: ${message}`);
    return [];
  };
  if (!Array.isArray(value) || value.length === 0) return fail('must be a list of levels, each [w0,h0, w1,h1, ...]');
  const levels: [number, number][][] = [];
  for (const [l, level] of value.entries()) {
    const at = pos?.items?.[l];
    if (!Array.isArray(level) || level.length === 0 || level.length % 2 !== 0 || !level.every((x) => typeof x === 'number' && x > 0)) {
      return fail(`level ${l} must be an even-length list of positive numbers, got ${show(level)}`, at);
    }
    const pairs: [number, number][] = [];
    for (let k = 0; k < level.length; k += 2) pairs.push([level[k], level[k + 1]]);
    if (levels.length > 0 && pairs.length !== levels[0].length) return fail('every level needs the same number of anchors', at);
    levels.push(pairs);
  }
  return levels;
}

function readMultiplier(doc: Record<string, unknown>, key: string, root: PosNode, problems: ProblemList): number {
  const v = doc[key];
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !(v > 0)) {
    problems.add(root.entries?.get(key)?.value.pos, `${key} must be a positive number, got ${show(v)}`);
    return 1;
  }
  return v;
}

function collectRows(doc: Record<string, unknown>, root: PosNode, problems: ProblemList): RowRef[] {
  const rows: RowRef[] = [];
  for (const section of ['backbone', 'head'] as const) {
    const value = doc[section];
    const pos = root.entries?.get(section);
    if (!Array.isArray(value)) {
      problems.add(pos?.value.pos, `${section} must be a list of [from, number, module, args] rows`);
      continue;
    }
    value.forEach((row, index) => rows.push({ section, index, value: row, pos: pos?.value.items?.[index] }));
  }
  return rows;
}

/** Resolves `from`: -1 is the previous layer (the image for layer 0), other negatives count back, others are absolute. */
function resolveFrom(from: number, i: number): number {
  if (from === -1) return i - 1;
  return from < 0 ? i + from : from;
}

export function parseModelYaml(yamlText: string, options: BuildOptions = {}): ModelPlan {
  const { value, root } = loadPositionedYaml(yamlText);
  const problems = new ProblemList();
  if (!isRecord(value)) throw new ModelYamlError([{ line: 1, message: 'the model YAML must be a mapping (nc, anchors, backbone, head)' }]);

  let nc = options.nc ?? value.nc;
  if (typeof nc !== 'number' || !Number.isInteger(nc) || nc < 1) {
    problems.add(root.entries?.get('nc')?.value.pos, `nc must be a positive integer, got ${show(nc)}`);
    nc = 1;
  }
  const scale = options.scale ? SCALES[options.scale] : undefined;
  const depthMultiple = scale?.depth ?? readMultiplier(value, 'depth_multiple', root, problems);
  const widthMultiple = scale?.width ?? readMultiplier(value, 'width_multiple', root, problems);
  const anchors = readAnchors(value.anchors, root.entries?.get('anchors')?.value, problems);
  const detectOutputs = (anchors[0]?.length ?? 3) * ((nc as number) + 5);

  const layers: LayerPlan[] = [];
  const channels: number[] = [];
  const strides: number[] = [];
  const rows = collectRows(value, root, problems);
  let detect: DetectNode | undefined;

  rows.forEach((ref, i) => {
    const label = `${ref.section}[${ref.index}] (layer ${i})`;
    const items = ref.pos?.items;
    /** Where to point: one argument, one of the four fields, or the whole row. */
    const at = (field?: RowField, arg?: number): SourcePos | undefined => {
      const rowPos = ref.pos?.pos;
      if (arg !== undefined) return items?.[3]?.items?.[arg]?.pos ?? items?.[3]?.pos ?? rowPos;
      if (field === undefined) return rowPos;
      return items?.[ROW_FIELDS.indexOf(field)]?.pos ?? rowPos;
    };
    // Keep the layer list dense so later rows still resolve; a broken row counts as 0 channels, stride 1.
    const broken = () => {
      channels[i] = 0;
      strides[i] = strides[i - 1] ?? 1;
    };
    const row = ref.value;
    if (!Array.isArray(row) || row.length !== 4) {
      problems.add(at(undefined), `a row must be [from, number, module, args], got ${show(row)}`, label);
      return broken();
    }
    const [fromRaw, numberRaw, moduleName, argsRaw] = row as [unknown, unknown, unknown, unknown];
    // Own keys only: 'constructor' or '__proto__' must not find Object's members.
    const def = typeof moduleName === 'string' && Object.hasOwn(MODULES, moduleName) ? MODULES[moduleName] : undefined;
    if (def === undefined) {
      const known = Object.keys(MODULES).join(', ');
      problems.add(at('module'), `unknown module ${show(moduleName)} (known: ${known})`, label);
      return broken();
    }
    if (typeof numberRaw !== 'number' || !Number.isInteger(numberRaw) || numberRaw < 1) {
      problems.add(at('number'), `number must be a positive integer, got ${show(numberRaw)}`, label);
      return broken();
    }
    if (!Array.isArray(argsRaw)) {
      problems.add(at('args'), `args must be a list, got ${show(argsRaw)}`, label);
      return broken();
    }
    const fromList = Array.isArray(fromRaw) ? fromRaw : [fromRaw];
    if (fromList.length === 0 || !fromList.every((f) => typeof f === 'number' && Number.isInteger(f))) {
      problems.add(at('from'), `from must be an integer or a list of integers, got ${show(fromRaw)}`, label);
      return broken();
    }
    if (def.multiInput !== Array.isArray(fromRaw) && !(def.multiInput && fromList.length === 1)) {
      problems.add(at('from'), `${moduleName} takes ${def.multiInput ? 'a list of inputs' : 'one input'} in from`, label);
      return broken();
    }
    const inputs: number[] = [];
    for (const f of fromList as number[]) {
      const target = resolveFrom(f, i);
      if (f >= i) {
        problems.add(at('from'), `from ${f} points forward: layer ${i} can only take earlier layers (0..${i - 1})`, label);
        return broken();
      }
      if (target < -1 || (target === -1 && f !== -1)) {
        problems.add(at('from'), `from ${f} is out of range: layer ${i} + (${f}) = ${target} is before the first layer`, label);
        return broken();
      }
      inputs.push(target);
    }
    const cins = inputs.map((x) => (x === -1 ? INPUT_CHANNELS : channels[x]));
    const inputStrides = inputs.map((x) => (x === -1 ? 1 : strides[x]));
    const n = scaleDepth(numberRaw, depthMultiple);
    try {
      const planned = def.plan({
        args: argsRaw,
        cins,
        inputStrides,
        n,
        scaleChannels: (c) => (c === detectOutputs ? c : makeDivisible(c * widthMultiple, 8)),
        nc: nc as number,
        anchors,
      });
      let node = planned.node;
      if (def.repeatable && n > 1) {
        if (cins[0] !== planned.c2) {
          throw new RowProblem(`n=${n} repeats the module, which needs equal in/out channels (${cins[0]} → ${planned.c2})`, undefined, 'number');
        }
        node = indexed('seq', Array.from({ length: n }, () => planned.node));
      }
      if (node.kind === 'Detect') {
        if (i !== rows.length - 1) throw new RowProblem('Detect must be the last row', undefined, 'module');
        detect = node;
      }
      channels[i] = planned.c2;
      strides[i] = inputStrides[0] * planned.strideFactor;
      layers.push({
        i,
        from: fromRaw as number | number[],
        inputs,
        n: planned.printN,
        module: moduleName as string,
        args: planned.printArgs,
        node,
        channels: planned.c2,
        stride: strides[i],
        line: ref.pos?.pos.line ?? 1,
      });
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      const field = error.field ?? (error.arg === undefined ? 'args' : undefined);
      problems.add(at(field, error.arg), `${moduleName} ${error.message}`, label);
      return broken();
    }
  });

  if (problems.items.length === 0 && detect === undefined) {
    problems.add(root.entries?.get('head')?.value.pos, 'the last head row must be Detect');
  }
  if (problems.items.length > 0) throw new ModelYamlError(problems.items);
  const backboneLayers = rows.filter((row) => row.section === 'backbone').length;
  return { nc: nc as number, depthMultiple, widthMultiple, layers, backboneLayers, detect: detect! };
}
