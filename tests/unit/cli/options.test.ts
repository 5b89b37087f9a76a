/** Numeric CLI options are integers in range, refused by name with the range and the text given. */
import { describe, expect, it } from 'vitest';
import { CliOptionError, integerOption, seedOption } from '../../../src/cli/options';
import { lab } from './capture';

describe('integer CLI options', () => {
  it('reads integers, keeps the fallback when absent, refuses the rest with the range', () => {
    expect(seedOption('42', 0)).toBe(42);
    expect(seedOption(undefined, 7)).toBe(7);
    expect(seedOption('-3', 0)).toBe(-3);
    for (const bad of ['abc', '', ' ', '1.5', 'NaN', '1e400', '0x']) {
      expect(() => seedOption(bad, 0)).toThrow(CliOptionError);
    }
    expect(() => seedOption('abc', 0)).toThrow("--seed must be an integer, got 'abc'");
    expect(() => integerOption('quality', '101', 70, 1, 100)).toThrow("--quality must be an integer in [1, 100], got '101'");
    expect(() => integerOption('nc', '0', 0, 1)).toThrow("--nc must be an integer in [1, ∞], got '0'");
    expect(() => seedOption('9'.repeat(1000), 0)).toThrow(/got '9{40}…'$/);
  });

  it('`lab data make-vehicles --seed abc` exits non-zero naming the option, before writing anything', async () => {
    const { code, stderr } = await lab('data', 'make-vehicles', '--out', '/nonexistent/never-written', '--seed', 'abc');
    expect(code).not.toBe(0);
    expect(stderr).toContain("--seed must be an integer, got 'abc'");
  });
});
