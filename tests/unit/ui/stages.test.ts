import { describe, expect, it } from 'vitest';
import { paramsByStage, rowStride, stageOfRows } from '../../../src/ui/model/stages';
import type { SummaryRow } from '../../../src/ui/model/summary-types';

// The seed's Yolov4_Resnet50 backbone rows and SPPCSP (its table), then two head rows and Detect.
const row = (i: number, params: number, module: string, args: string, from: number | number[] = -1): SummaryRow => ({ i, from, n: 1, params, module, args });
const RESNET50: SummaryRow[] = [
  row(0, 9408, 'nn.Conv2d', '[3, 64, 7, 2, 3, 1, 1, False]'),
  row(1, 128, 'nn.BatchNorm2d', '[64]'),
  row(2, 0, 'nn.ReLU', '[True]'),
  row(3, 0, 'nn.MaxPool2d', '[3, 2, 1]'),
  row(4, 215808, 'resLayer', '[64, 64, 3, 1, 1, 64, True]'),
  row(5, 1219584, 'resLayer', '[256, 128, 4, 2, 1, 64, True]'),
  row(6, 7098368, 'resLayer', '[512, 256, 6, 2, 1, 64, True]'),
  row(7, 14964736, 'resLayer', '[1024, 512, 3, 2, 1, 64, True]'),
  row(8, 8658944, 'SPPCSP', '[2048, 512, 1]'),
  row(9, 131584, 'Conv', '[512, 256, 1, 1]'),
  row(10, 0, 'nn.Upsample', "[None, 2, 'nearest']"),
  row(11, 48465, 'Detect', '[4, [[12, 16]], [256, 512, 1024]]', [19, 23, 27]),
];

describe('backbone stages', () => {
  it('reads each row’s stride from its printed arguments', () => {
    expect(RESNET50.map(rowStride)).toEqual([2, 1, 1, 2, 1, 2, 2, 2, 1, 1, 1, 1]);
  });

  it('puts the ResNet-50 rows in the stages of their feature-map stride', () => {
    expect(stageOfRows(RESNET50, 8)).toEqual([
      'Stem (÷2)', 'Stem (÷2)', 'Stem (÷2)', 'C2 (÷4)', 'C2 (÷4)',
      'C3 → P3 (÷8)', 'C4 → P4 (÷16)', 'C5 → P5 (÷32)',
      'SPPCSP', 'Neck (FPN + PAN)', 'Neck (FPN + PAN)', 'Detect',
    ]);
  });

  it('sums parameters per stage without losing any', () => {
    const byStage = paramsByStage(RESNET50, 8);
    expect(byStage['Stem (÷2)']).toBe(9536);
    expect(byStage['C5 → P5 (÷32)']).toBe(14964736);
    const total = Object.values(byStage).reduce((a, b) => a + b, 0);
    expect(total).toBe(RESNET50.reduce((sum, r) => sum + r.params, 0));
  });
});
