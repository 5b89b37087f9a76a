import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../src/run/format';

describe('formatBytes', () => {
  it('uses binary units with the precision of each range', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 2 ** 20)).toBe('20.0 MiB');
    expect(formatBytes(1.25 * 2 ** 30)).toBe('1.25 GiB');
  });
});

describe('formatDuration', () => {
  it('reads milliseconds as seconds, minutes and hours', () => {
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration((3 * 60 + 7) * 1000)).toBe('3m 07s');
    expect(formatDuration((2 * 3600 + 5 * 60 + 59) * 1000)).toBe('2h 05m');
  });

  it('shows a dash when the time is unknown', () => {
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
