import { describe, expect, it } from 'vitest';
import { engineeringExponent, niceTicks, siLabel, yAxisFor } from '../../../src/ui/charts/axis';

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

  it('writes tiny values with an SI prefix, each tick distinct and short', () => {
    const axis = yAxisFor([0, 1.8e-4], false);
    const labels = axis.ticks.map(axis.format);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual(['0', '50µ', '100µ', '150µ', '200µ']);
    // The clipped lr label (3.338e-4 at a 52 px axis): a range around it fits in 6 characters.
    const lr = yAxisFor([3.2e-4, 3.338e-4], false);
    expect(lr.ticks.map(lr.format).every((label) => label.length <= 6)).toBe(true);
  });

  it('writes huge values with k/M and picks the engineering exponent', () => {
    const axis = yAxisFor([0, 2.4e5], false);
    expect(axis.ticks.map(axis.format)).toEqual(['0', '100k', '200k', '300k']);
    expect([2e-4, 5e5, 0.5e-3, 1, 999, 1e-13].map(engineeringExponent)).toEqual([-6, 3, -6, 0, 0, -15]);
    expect(siLabel(1.25e-9, -9, 2)).toBe('1.25n');
    expect(siLabel(3e-15, -15, 0)).toBe('3e-15');
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
    expect(axis.format(1e-4)).toBe('100µ');
    expect(axis.format(0.01)).toBe('0.01');
  });
});
