/** Receptive fields worked by hand: rf grows by (k − 1)·d·jump through a conv or pool, the jump by its stride. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelYaml } from '../../../src/model/plan/parse';
import { receptiveFields } from '../../../src/model/receptive-field';
import { yamlWithRows } from './helpers';

const TINY = yamlWithRows(
  `[-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [8, 3, 2]], [-1, 1, Conv, [16, 3, 2]], [-1, 1, Conv, [16, 3, 2]], [-1, 1, Conv, [16, 3, 2]]`,
  `[-1, 1, nn.Upsample, [None, 2, 'nearest']], [[-1, 3], 1, Concat, [1]], [-1, 1, Conv, [16, 5, 1]], [[2, 3, 7], 1, Detect, [nc, anchors]]`,
);

describe('receptiveFields', () => {
  it('a chain of 3×3 stride-2 convs, an upsample, a concat and a 5×5: by hand', () => {
    const fields = receptiveFields(parseModelYaml(TINY));
    // 3 (jump 2) → 3 + 2·2 = 7 (4) → 7 + 2·4 = 15 (8) → 15 + 2·8 = 31 (16) → 31 + 2·16 = 63 (32).
    expect(fields.slice(0, 5)).toEqual([
      { size: 3, jump: 2 },
      { size: 7, jump: 4 },
      { size: 15, jump: 8 },
      { size: 31, jump: 16 },
      { size: 63, jump: 32 },
    ]);
    // Upsample ×2 keeps 63, jump 16; Concat with layer 3 (31, 16) keeps the wider; a 5×5 adds 4·16 = 64.
    expect(fields[5]).toEqual({ size: 63, jump: 16 });
    expect(fields[6]).toEqual({ size: 63, jump: 16 });
    expect(fields[7]).toEqual({ size: 127, jump: 16 });
  });

  it('ResNet-50: the stem 7×7/2 and max-pool 3×3/2 give 11 at jump 4; the strides of the Detect inputs are 8, 16, 32', () => {
    const plan = parseModelYaml(readFileSync('public/models/yolov4-resnet50.yaml', 'utf8'), { scale: 'n' });
    const fields = receptiveFields(plan);
    expect(fields[0]).toEqual({ size: 7, jump: 2 });
    expect(fields.find((f) => f.jump === 4)).toEqual({ size: 11, jump: 4 });
    const detectInputs = plan.layers[plan.layers.length - 1].inputs;
    expect(detectInputs.map((i) => fields[i].jump)).toEqual([8, 16, 32]);
    // Each level sees more than the one before, and P5's field is wider than a 128 px image.
    const sizes = detectInputs.map((i) => fields[i].size);
    expect(sizes[0]).toBeLessThan(sizes[1]);
    expect(sizes[1]).toBeLessThan(sizes[2]);
    expect(sizes[2]).toBeGreaterThan(128);
  });
});
