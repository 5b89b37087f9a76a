import { describe, expect, it } from 'vitest';
import { niceTicks, yAxisFor } from '../../../src/ui/charts/axis';

describe('chart y axes', () => {
  it('makes round ticks that cover the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0.0123, 0.0871, 4)).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
  });

  it('labels a narrow range with enough decimals to tell ticks apart', () => {
    const axis = yAxisFor([0.07947, 0.07949], false);
    const labels = axis.ticks.map(axis.format);
    expect(new Set(labels).size).toBe(labels.length);
    expect(axis.domain[0]).toBeLessThanOrEqual(0.07947);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(0.07949);
  });

  it('writes tiny values in scientific form, each tick distinct', () => {
    const axis = yAxisFor([0, 1.8e-4], false);
    const labels = axis.ticks.map(axis.format);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('1e-4');
    expect(labels.some((label) => label.startsWith('1.5e-4') || label.startsWith('5e-5'))).toBe(true);
  });

  it('gives a flat zero series a [0, 1] axis, and never pads a non-negative series below zero', () => {
    const flat = yAxisFor([0, 0, 0], false);
    expect(flat.domain).toEqual([0, 1]);
    expect(flat.ticks.map(flat.format)).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    expect(yAxisFor([0.01, 0.5, 1], false).domain[0]).toBe(0);
  });

  it('uses positive values only on a log axis', () => {
    const axis = yAxisFor([0, 1e-4, 0.01], true);
    expect(axis.domain[0]).toBeLessThanOrEqual(1e-4);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(0.01);
    expect(axis.ticks.every((tick) => tick > 0)).toBe(true);
  });
});
