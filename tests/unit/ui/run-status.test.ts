import { describe, expect, it } from 'vitest';
import { canResume, runListStatus } from '../../../src/ui/runs/run-status';

describe('the run list status', () => {
  it('shows a stored running run that no live worker trains as interrupted, and offers Resume', () => {
    const status = runListStatus({ runId: 'a', status: 'running' }, undefined);
    expect(status).toBe('interrupted');
    expect(canResume(status, false, false)).toBe(true);
    expect(runListStatus({ runId: 'a', status: 'running' }, 'b')).toBe('interrupted');
  });

  it('keeps the live run as running, not resumable', () => {
    const status = runListStatus({ runId: 'a', status: 'running' }, 'a');
    expect(status).toBe('running');
    expect(canResume(status, true, true)).toBe(false);
  });

  it('offers Resume for paused, stopped and failed runs only while nothing else trains', () => {
    for (const stored of ['paused', 'stopped', 'failed'] as const) {
      const status = runListStatus({ runId: 'a', status: stored }, 'b');
      expect(status).toBe(stored);
      expect(canResume(status, false, false)).toBe(true);
      expect(canResume(status, false, true)).toBe(false);
    }
    expect(canResume(runListStatus({ runId: 'a', status: 'done' }, undefined), false, false)).toBe(false);
  });
});
