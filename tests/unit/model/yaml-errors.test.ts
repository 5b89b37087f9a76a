/** Bad model YAMLs: each problem names its line (1-based), its row and what is wrong. */
import { describe, expect, it } from 'vitest';
import { ModelYamlError } from '../../../src/model/errors';
import { summarizeModelYaml, validateModelYaml } from '../../../src/model/summary';
import { readModelYaml } from './helpers';

/** A valid tiny model; line numbers below refer to this text. */
const BASE = `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [10,13, 16,30, 33,23]
  - [30,61, 62,45, 59,119]
backbone:
  [[-1, 1, Conv, [8, 3, 2]],
   [-1, 1, nn.Conv2d, [16, 3, 2, 1, 1, 4, False]],
   [-1, 1, Conv, [16, 3, 2]],
  ]
head:
  [[-1, 1, nn.Upsample, [None, 2, 'nearest']],
   [[-1, 1], 1, Concat, [1]],
   [[4, 2], 1, Detect, [nc, anchors]],
  ]
`;

/** Replaces the text of one line (1-based). */
function withLine(line: number, text: string, yaml = BASE): string {
  const lines = yaml.split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
}

function problemsOf(yaml: string) {
  const problems = validateModelYaml(yaml);
  expect(problems.length).toBeGreaterThan(0);
  return problems;
}

describe('model YAML validation', () => {
  it('accepts the base model and the four shipped YAMLs', () => {
    expect(validateModelYaml(BASE)).toEqual([]);
    for (const name of ['yolov4-csp', 'yolov4-resnet50', 'yolov4-resnext50', 'yolov4-se-resnet50']) {
      expect(validateModelYaml(readModelYaml(name))).toEqual([]);
    }
  });

  it('unknown module', () => {
    const [p] = problemsOf(withLine(10, '   [-1, 1, Focus, [16, 3, 2]],'));
    expect(p).toMatchObject({ line: 10, column: 12, row: 'backbone[2] (layer 2)' });
    expect(p.message).toMatch(/unknown module 'Focus'/);
  });

  it('from pointing forward', () => {
    const [p] = problemsOf(withLine(14, '   [[-1, 5], 1, Concat, [1]],'));
    expect(p).toMatchObject({ line: 14, row: 'head[1] (layer 4)' });
    expect(p.message).toMatch(/from 5 points forward/);
  });

  it('from out of range', () => {
    const [p] = problemsOf(withLine(9, '   [-3, 1, nn.Conv2d, [16, 3, 2, 1, 1, 4, False]],'));
    expect(p).toMatchObject({ line: 9, row: 'backbone[1] (layer 1)' });
    expect(p.message).toMatch(/from -3 is out of range/);
  });

  it('wrong argument count', () => {
    const [p] = problemsOf(withLine(13, "  [[-1, 1, nn.Upsample, [None, 2]],"));
    expect(p).toMatchObject({ line: 13, row: 'head[0] (layer 3)' });
    expect(p.message).toMatch(/nn.Upsample takes 3 arguments/);
  });

  it('wrong argument type, pointing at the argument', () => {
    const [p] = problemsOf(withLine(8, "  [[-1, 1, Conv, [8, 'three', 2]],"));
    expect(p).toMatchObject({ line: 8, column: 23, row: 'backbone[0] (layer 0)' });
    expect(p.message).toMatch(/argument 2 \(k\) must be a positive integer, got 'three'/);
  });

  it('groups that do not divide the channels', () => {
    const [p] = problemsOf(withLine(9, '   [-1, 1, nn.Conv2d, [16, 3, 2, 1, 1, 3, False]],'));
    expect(p).toMatchObject({ line: 9, row: 'backbone[1] (layer 1)' });
    expect(p.message).toMatch(/groups=3 must divide both in channels \(8\) and out channels \(16\)/);
  });

  it('ResNeXt groups that leave no bottleneck width at a small width', () => {
    const yaml = readModelYaml('yolov4-resnext50').replace('width_multiple: 1.0', 'width_multiple: 0.125');
    const problems = problemsOf(yaml);
    expect(problems[0]).toMatchObject({ line: 22, row: 'backbone[4] (layer 4)' });
    expect(problems[0].message).toMatch(/bottleneck width .* is 0/);
  });

  it('Concat of different sizes', () => {
    const [p] = problemsOf(withLine(14, '   [[-1, 0], 1, Concat, [1]],'));
    expect(p).toMatchObject({ line: 14, row: 'head[1] (layer 4)' });
    expect(p.message).toMatch(/inputs have different strides \(4, 2\)/);
  });

  it('reports every problem at once: bad nc, a malformed row, a bad number', () => {
    const yaml = withLine(1, 'nc: -1', withLine(13, "  [[-1, 0, nn.Upsample, [None, 2, 'nearest']],", withLine(10, '   [-1, 1, Conv],')));
    const problems = problemsOf(yaml);
    expect(problems.map((p) => p.line)).toEqual([1, 10, 13]);
    expect(problems[0].message).toMatch(/nc must be a positive integer/);
    expect(problems[1].message).toMatch(/a row must be \[from, number, module, args\]/);
    expect(problems[2].message).toMatch(/number must be a positive integer, got 0/);
  });

  it('n > 1 repeats a module in a Sequential only when its channels are unchanged', () => {
    // Stride-1 convs here, so the upsample keeps factor 1 for the Concat sizes to match.
    const repeated = withLine(10, '   [-1, 2, Conv, [16, 3, 1]],', withLine(13, "  [[-1, 1, nn.Upsample, [None, 1, 'nearest']],"));
    expect(validateModelYaml(repeated)).toEqual([]);
    const row = summarizeModelYaml(repeated).rows[2];
    expect(row).toMatchObject({ n: 2, params: 2 * (16 * 16 * 9 + 32) });
    const [p] = problemsOf(withLine(10, '   [-1, 2, Conv, [32, 3, 1]],'));
    expect(p).toMatchObject({ line: 10, column: 9 });
    expect(p.message).toMatch(/n=2 repeats the module, which needs equal in\/out channels \(16 → 32\)/);
  });

  it('YAML syntax errors carry js-yaml\'s line', () => {
    const [p] = problemsOf(withLine(9, '   [-1, 1, nn.Conv2d, [16, 3, 2, 1, 1, 4, False]'));
    expect(p.message).toMatch(/YAML syntax/);
    expect(p.line).toBeGreaterThanOrEqual(9);
  });

  it('summarize throws ModelYamlError with the same problems', () => {
    const yaml = withLine(10, '   [-1, 1, Focus, [16, 3, 2]],');
    expect(() => summarizeModelYaml(yaml)).toThrow(ModelYamlError);
    try {
      summarizeModelYaml(yaml);
    } catch (error) {
      expect((error as ModelYamlError).problems).toEqual(validateModelYaml(yaml));
      expect((error as Error).message).toMatch(/^line 10:12, backbone\[2\] \(layer 2\): unknown module/);
    }
  });
});
