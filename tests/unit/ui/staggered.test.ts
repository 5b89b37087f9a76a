import { afterEach, describe, expect, it, vi } from 'vitest';
import { enqueueUpdate } from '../../../src/ui/charts/staggered';

describe('enqueueUpdate (one chart redraw per task)', () => {
  afterEach(() => vi.useRealTimers());

  it('runs queued updates in order, one per task, and drops a cancelled one', () => {
    vi.useFakeTimers();
    const ran: string[] = [];
    enqueueUpdate(() => ran.push('a'));
    const cancelB = enqueueUpdate(() => ran.push('b'));
    enqueueUpdate(() => ran.push('c'));
    expect(ran).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['a']);
    cancelB();
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['a', 'c']);
    vi.runAllTimers();
    expect(ran).toEqual(['a', 'c']);
  });
});
