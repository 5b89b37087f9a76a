import { describe, expect, it } from 'vitest';
import { backbonesWithoutColor, OKABE_ITO, runColors } from '../../../src/ui/charts/colors';

describe('run colours', () => {
  it('gives every shipped backbone its own Okabe–Ito colour, whatever the run order', () => {
    expect(backbonesWithoutColor()).toEqual([]);
    const files = ['yolov4-csp.yaml', 'yolov4-resnet50.yaml', 'yolov4-resnext50.yaml', 'yolov4-se-resnet50.yaml'];
    const first = runColors(files.map((modelName, i) => ({ runId: `r${i}`, modelName, createdAt: i })));
    const reversed = runColors(files.map((modelName, i) => ({ runId: `r${i}`, modelName, createdAt: -i })));
    expect(new Set(first.values()).size).toBe(4);
    expect([...first.values()].every((color) => (OKABE_ITO as readonly string[]).includes(color))).toBe(true);
    expect(reversed).toEqual(first);
  });

  it('gives edited models the remaining colours in creation order, distinct from the backbones', () => {
    const colors = runColors([
      { runId: 'b', modelName: 'custom.yaml', createdAt: 2 },
      { runId: 'a', modelName: 'custom.yaml', createdAt: 1 },
      { runId: 'csp', modelName: 'yolov4-csp.yaml', createdAt: 0 },
    ]);
    expect(colors.get('a')).not.toBe(colors.get('b'));
    expect([colors.get('a'), colors.get('b')]).not.toContain(colors.get('csp'));
    expect(runColors([{ runId: 'a', modelName: 'custom.yaml', createdAt: 1 }]).get('a')).toBe(colors.get('a'));
  });
});
