/** Progress and ETA from the last step event and when the current attempt started. */
import type { StepInfo } from '../../worker/protocol';

export interface Progress {
  /** 0..1 over the whole run. */
  fraction: number;
  epochLabel: string;
  iterationLabel: string;
  /** Milliseconds left at the current step rate; undefined until the rate is known. */
  etaMs: number | undefined;
}

export function progressOf(step: StepInfo, totalEpochs: number, startedAt: number, stepsAtStart: number): Progress {
  const perEpoch = Math.max(1, step.itersPerEpoch);
  const totalSteps = totalEpochs * perEpoch;
  const done = step.epoch * perEpoch + step.iteration + 1;
  const stepsThisAttempt = step.globalStep - stepsAtStart;
  const elapsed = step.time - startedAt;
  const msPerStep = stepsThisAttempt > 0 && elapsed > 0 ? elapsed / stepsThisAttempt : undefined;
  return {
    fraction: Math.min(1, done / Math.max(1, totalSteps)),
    epochLabel: `${step.epoch + 1} / ${totalEpochs}`,
    iterationLabel: `${step.iteration + 1} / ${perEpoch}`,
    etaMs: msPerStep === undefined ? undefined : msPerStep * Math.max(0, totalSteps - done),
  };
}
