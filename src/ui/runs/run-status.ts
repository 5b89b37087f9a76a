/**
 * How the run list shows a stored run. The store says `running` for as long as a worker trains the run; a run stored
 * as `running` that no live worker owns was cut off (page closed or reloaded mid-run) and is shown as interrupted,
 * resumable from its last checkpoint.
 */
import type { RunStatus } from '../../worker/protocol';

export type RunListStatus = RunStatus | 'interrupted';

const RESUMABLE: ReadonlySet<RunListStatus> = new Set(['idle', 'paused', 'stopped', 'failed', 'interrupted']);

/** `liveRunId`: the run a live worker is training now, if any. */
export function runListStatus(run: { runId: string; status: RunStatus }, liveRunId: string | undefined): RunListStatus {
  return run.status === 'running' && run.runId !== liveRunId ? 'interrupted' : run.status;
}

/** Resume is offered for a run that is not the live one, while no other run is training. */
export function canResume(status: RunListStatus, isLive: boolean, busy: boolean): boolean {
  return !isLive && !busy && RESUMABLE.has(status);
}
