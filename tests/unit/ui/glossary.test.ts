import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, termOfLabel } from '../../../src/ui/teaching/glossary';

// The terms issue #15 asks the page to explain.
const REQUIRED = [
  'the seed', 'nc', 'lr0', 'lr1', 'lr2', 'EMA', 'box_loss', 'obj_loss', 'cls_loss', 'P', 'R', 'mAP@0.5', 'mAP@0.5:0.95',
  'anchor', 'stride', 'scale', 'nbs', 'warm-up', 'mosaic',
];

describe('the glossary', () => {
  it('explains every required term in one line', () => {
    for (const term of REQUIRED) {
      const line = (GLOSSARY as Record<string, string>)[term];
      expect(line, term).toBeTypeOf('string');
      expect(line.length, term).toBeGreaterThan(20);
      expect(line.length, term).toBeLessThanOrEqual(200);
      expect(line, term).not.toMatch(/\n/);
    }
  });

  it('tells the experiment apart from the random Seed field', () => {
    expect(GLOSSARY['the seed']).toMatch(/not the random Seed field/);
    expect(GLOSSARY.Seed).toMatch(/random/);
  });

  it('maps the form labels to their terms, and the form uses that mapping', () => {
    expect(termOfLabel('Classes (nc)')).toBe('nc');
    expect(termOfLabel('Seed')).toBe('Seed');
    expect(termOfLabel('Batch')).toBeUndefined();
    const form = readFileSync(new URL('../../../src/ui/training/ExperimentForm.tsx', import.meta.url), 'utf8');
    expect(form).toMatch(/termOfLabel\(label\)/);
    for (const label of ['Classes (nc)', 'lr0', 'Seed', 'Scale']) expect(form).toContain(`label="${label}"`);
  });
});
