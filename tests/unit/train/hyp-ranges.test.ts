/** Hyp values outside their meaning's range are refused when the file is read, with the range in the message. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HYP_KEYS, HYP_PRESETS, HypError, parseHyp } from '../../../src/train/hyp';
import { describeRange, HYP_RANGES, hypRangeProblems } from '../../../src/train/hyp-ranges';

const problemsOf = (text: string): string[] => {
  try {
    parseHyp(text);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(HypError);
    return (error as HypError).problems;
  }
};

describe('hyp ranges', () => {
  it('nbs: 0 and a fractional nbs are refused, naming the range (today nbs: 0 gives NaN at step 2)', () => {
    expect(problemsOf('nbs: 0')).toEqual(["'nbs' must be an integer in [1, ∞), got 0"]);
    expect(problemsOf('nbs: 2.5')).toEqual(["'nbs' must be an integer in [1, ∞), got 2.5"]);
    expect(problemsOf('nbs: 1').length).toBe(0);
  });

  it('lr0 must be positive, probabilities at most 1, momentum below 1; the key is named as written', () => {
    expect(problemsOf('lr0: 0')).toEqual(["'lr0' must be in (0, ∞), got 0"]);
    expect(problemsOf('lr0: 1000000')).toEqual([]); // large but legal: the run's finite checks deal with divergence
    expect(problemsOf('mosaic: 1.5\nmomentum: 1')).toEqual(["'mosaic' must be in [0, 1], got 1.5", "'momentum' must be in [0, 1), got 1"]);
    expect(problemsOf('giou: -0.1')).toEqual(["'giou' must be in [0, ∞), got -0.1"]);
    expect(problemsOf('warmup_min_iters: 10.5')[0]).toMatch(/integer in \[0, ∞\)/);
    expect(problemsOf('anchor_t: 0.5')[0]).toBe("'anchor_t' must be in [1, ∞), got 0.5");
  });

  it('every key has a range, both presets and the shipped hyp files are inside them', () => {
    expect(Object.keys(HYP_RANGES).sort()).toEqual([...HYP_KEYS].sort());
    for (const preset of Object.values(HYP_PRESETS)) {
      for (const key of HYP_KEYS) expect(hypRangeProblems(key, key, preset[key])).toEqual([]);
    }
    const dir = join(__dirname, '../../../public/hyps');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      expect(problemsOf(readFileSync(join(dir, file), 'utf8'))).toEqual([]);
    }
  });

  it('describes open, closed and integer ranges', () => {
    expect(describeRange({ min: 0, max: 1, maxOpen: true })).toBe('in [0, 1)');
    expect(describeRange({ min: 0, max: Infinity, minOpen: true })).toBe('in (0, ∞)');
    expect(describeRange({ min: 1, max: Infinity, integer: true })).toBe('an integer in [1, ∞)');
  });
});
