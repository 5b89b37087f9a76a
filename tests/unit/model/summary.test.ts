/**
 * The four summaries at nc=4 against the seed's tables (/work/shared/seed: backbone + SPPCSP rows and totals) and the
 * facts file's head rows; plus the scale rules.
 */
import { describe, expect, it } from 'vitest';
import { formatSummaryTable, summarizeModelYaml, type SummaryRow } from '../../../src/model/summary';
import { FAMILIES, readModelYaml } from './helpers';

type SeedRow = [number, number, number, string, unknown[]];

/** The seed's rows as printed (n, params, module, arguments), module paths shortened to the YAML names. */
const SEED_ROWS: Record<(typeof FAMILIES)[number], SeedRow[]> = {
  'yolov4-csp': [
    [0, 1, 928, 'Conv', [3, 32, 3, 1]],
    [1, 1, 18560, 'Conv', [32, 64, 3, 2]],
    [2, 1, 20672, 'Bottleneck', [64, 64]],
    [3, 1, 73984, 'Conv', [64, 128, 3, 2]],
    [4, 1, 119936, 'BottleneckCSP', [128, 128, 2]],
    [5, 1, 295424, 'Conv', [128, 256, 3, 2]],
    [6, 1, 1463552, 'BottleneckCSP', [256, 256, 8]],
    [7, 1, 1180672, 'Conv', [256, 512, 3, 2]],
    [8, 1, 5843456, 'BottleneckCSP', [512, 512, 8]],
    [9, 1, 4720640, 'Conv', [512, 1024, 3, 2]],
    [10, 1, 12858368, 'BottleneckCSP', [1024, 1024, 4]],
    [11, 1, 7610368, 'SPPCSP', [1024, 512, 1]],
  ],
  'yolov4-resnet50': [
    [0, 1, 9408, 'nn.Conv2d', [3, 64, 7, 2, 3, 1, 1, false]],
    [1, 1, 128, 'nn.BatchNorm2d', [64]],
    [2, 1, 0, 'nn.ReLU', [true]],
    [3, 1, 0, 'nn.MaxPool2d', [3, 2, 1]],
    [4, 3, 215808, 'resLayer', [64, 64, 3, 1, 1, 64, true]],
    [5, 4, 1219584, 'resLayer', [256, 128, 4, 2, 1, 64, true]],
    [6, 6, 7098368, 'resLayer', [512, 256, 6, 2, 1, 64, true]],
    [7, 3, 14964736, 'resLayer', [1024, 512, 3, 2, 1, 64, true]],
    [8, 1, 8658944, 'SPPCSP', [2048, 512, 1]],
  ],
  'yolov4-resnext50': [
    [0, 1, 9408, 'nn.Conv2d', [3, 64, 7, 2, 3, 1, 1, false]],
    [1, 1, 128, 'nn.BatchNorm2d', [64]],
    [2, 1, 0, 'nn.ReLU', [true]],
    [3, 1, 0, 'nn.MaxPool2d', [3, 2, 1]],
    [4, 3, 205824, 'resLayer', [64, 64, 3, 1, 32, 4, true]],
    [5, 4, 1197056, 'resLayer', [256, 128, 4, 2, 32, 4, true]],
    [6, 6, 7022592, 'resLayer', [512, 256, 6, 2, 32, 4, true]],
    [7, 3, 14544896, 'resLayer', [1024, 512, 3, 2, 32, 4, true]],
    [8, 1, 8658944, 'SPPCSP', [2048, 512, 1]],
  ],
  'yolov4-se-resnet50': [
    [0, 1, 9408, 'nn.Conv2d', [3, 64, 7, 2, 3, 1, 1, false]],
    [1, 1, 128, 'nn.BatchNorm2d', [64]],
    [2, 1, 0, 'nn.ReLU', [true]],
    [3, 1, 0, 'nn.MaxPool2d', [3, 2, 0, 1, false, true]],
    [4, 3, 241200, 'seresLayer', [64, 64, 3, 1, 1, 64, true]],
    [5, 4, 1352832, 'seresLayer', [256, 128, 4, 2, 1, 64, true]],
    [6, 6, 7891328, 'seresLayer', [512, 256, 6, 2, 1, 64, true]],
    [7, 3, 16544128, 'seresLayer', [1024, 512, 3, 2, 1, 64, true]],
    [8, 1, 8658944, 'SPPCSP', [2048, 512, 1]],
  ],
};

const TOTALS = {
  'yolov4-csp': { parameters: 52_515_505, layers: 334 },
  'yolov4-resnet50': { parameters: 50_639_761, layers: 297 },
  'yolov4-resnext50': { parameters: 50_111_633, layers: 297 },
  'yolov4-se-resnet50': { parameters: 53_170_753, layers: 361 },
};

/** yolov4-csp's head (facts file rows 12..31) as (from, params); the ResNet variants share it from their row 9 on. */
const CSP_HEAD: [number | number[], number][] = [
  [-1, 131584], [-1, 0], [8, 131584], [[-1, -2], 0], [-1, 1642496], [-1, 33024], [-1, 0], [6, 33024], [[-1, -2], 0],
  [-1, 411648], [-1, 295424], [-2, 295424], [[-1, 16], 0], [-1, 1642496], [-1, 1180672], [-2, 1180672], [[-1, 11], 0],
  [-1, 6561792], [-1, 4720640], [[22, 26, 30], 48465],
];

const row = (rows: SummaryRow[], i: number) => rows.find((r) => r.i === i)!;

describe.each(FAMILIES)('%s summary at nc=4', (family) => {
  const summary = summarizeModelYaml(readModelYaml(family), { nc: 4 });

  it('has the seed totals', () => {
    expect({ parameters: summary.parameters, layers: summary.layers }).toEqual(TOTALS[family]);
    expect(summary.rows.reduce((s, r) => s + r.params, 0)).toBe(summary.parameters);
  });

  it('has the seed rows', () => {
    for (const [i, n, params, module, args] of SEED_ROWS[family]) {
      expect(row(summary.rows, i), `row ${i}`).toEqual({ i, from: -1, n, params, module, args });
    }
  });

  it('has the yolov4-csp head, remapped to P3/P4/P5 = layers 5/6/7 for ResNets', () => {
    const resnet = family !== 'yolov4-csp';
    const first = resnet ? 9 : 12;
    const head = summary.rows.slice(first);
    expect(head.length).toBe(CSP_HEAD.length);
    // Remap: csp's P4/P3 laterals (8, 6) become 6, 5; its absolute head indices shift by −3.
    const remap = (f: number) => (!resnet || f < 0 ? f : f === 8 ? 6 : f === 6 ? 5 : f - 3);
    head.forEach((r, k) => {
      const [from, params] = CSP_HEAD[k];
      expect(r.from).toEqual(Array.isArray(from) ? from.map(remap) : remap(from));
      // The lateral 1x1 convs read 1024/512 channels from the ResNet instead of 512/256.
      const lateral = resnet && (k === 2 || k === 7);
      expect(r.params, `row ${r.i}`).toBe(lateral ? (k === 2 ? 1024 * 256 + 512 : 512 * 128 + 256) : params);
    });
    expect(row(summary.rows, summary.rows.length - 1).args[2]).toEqual([256, 512, 1024]);
  });

  it('prints the seed table', () => {
    const text = formatSummaryTable(summary);
    expect(text.split('\n')[0]).toMatch(/from\s+n\s+params\s+module\s+arguments/);
    expect(text).toContain(`Model Summary: ${TOTALS[family].layers} layers, ${TOTALS[family].parameters} parameters`);
  });
});

describe('scales', () => {
  it('n/s/m/l shrink the model monotonically, and l is the YAML as written', () => {
    for (const family of FAMILIES) {
      const yaml = readModelYaml(family);
      const totals = (['n', 's', 'm', 'l'] as const).map((scale) => summarizeModelYaml(yaml, { scale }).parameters);
      expect(totals[0]).toBeLessThan(totals[1]);
      expect(totals[1]).toBeLessThan(totals[2]);
      expect(totals[2]).toBeLessThan(totals[3]);
      expect(totals[3]).toBe(TOTALS[family].parameters);
    }
  });

  it('scales resLayer planes with make_divisible(planes·width, 8) and blocks with max(round(n·depth), 1)', () => {
    const rows = summarizeModelYaml(readModelYaml('yolov4-resnext50'), { scale: 'n' }).rows;
    // width 0.25, depth 0.33: planes 64→16, 128→32, 256→64, 512→128; blocks 3→1, 4→1, 6→2, 3→1.
    expect(rows.slice(4, 8).map((r) => r.args)).toEqual([
      [16, 16, 1, 1, 32, 4, true],
      [64, 32, 1, 2, 32, 4, true],
      [128, 64, 2, 2, 32, 4, true],
      [256, 128, 1, 2, 32, 4, true],
    ]);
    expect(rows[0].args).toEqual([3, 16, 7, 2, 3, 1, 1, false]);
  });

  it('nc changes only Detect', () => {
    const yaml = readModelYaml('yolov4-csp');
    const a = summarizeModelYaml(yaml, { nc: 4 });
    const b = summarizeModelYaml(yaml, { nc: 80 });
    expect(b.parameters - a.parameters).toBe(457_725 - 48_465);
    expect(b.parameters).toBe(52_924_765);
  });
});
