import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, viewFromHash, viewToHash } from '../../../src/ui/state/view-url';

describe('the page view in the URL hash', () => {
  it('writes nothing for the defaults and round-trips every option', () => {
    expect(viewToHash(DEFAULT_VIEW)).toBe('');
    const view = { tab: 'charts', smoothing: 0.85, mode: 'epoch', logY: true } as const;
    expect(viewToHash(view)).toBe('#tab=charts&smooth=0.85&x=epoch&logy=1');
    expect(viewFromHash(viewToHash(view))).toEqual(view);
    expect(viewFromHash('#tab=runs')).toEqual({ ...DEFAULT_VIEW, tab: 'runs' });
  });

  it('falls back to the default for each bad value, keeping the good ones', () => {
    expect(viewFromHash('#tab=settings&smooth=2&x=time&logy=1')).toEqual({ ...DEFAULT_VIEW, logY: true });
    expect(viewFromHash('#smooth=&x=relative')).toEqual({ ...DEFAULT_VIEW, mode: 'relative' });
    expect(viewFromHash('#smooth=abc&tab=predictions')).toEqual({ ...DEFAULT_VIEW, tab: 'predictions' });
    expect(viewFromHash('')).toEqual(DEFAULT_VIEW);
    expect(viewFromHash('#smooth=0')).toEqual({ ...DEFAULT_VIEW, smoothing: 0 });
  });
});
