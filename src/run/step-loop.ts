/**
 * The step loop both drivers run: the page's worker (session.ts) and `lab train`. Between two steps the driver says
 * whether to go on (pause, stop, a device lost, Ctrl-C); an epoch is closed right after its last step, so a stop
 * never falls between a step and its epoch's validation.
 */
import type { EpochOutcome, StepOutcome, TrainingEngine } from './engine';

export interface LoopDriver {
  /** Asked before every step, and once more when all epochs are trained: false stops the loop there. */
  proceed(): boolean | Promise<boolean>;
  onStep(step: StepOutcome): void | Promise<void>;
  onEpoch(epoch: EpochOutcome): void | Promise<void>;
  /** Wraps each call into the engine, e.g. to race it against a lost GPU device. */
  guard?<T>(work: Promise<T>): Promise<T>;
}

/** 'finished': every epoch is trained; 'halted': the driver stopped the loop between two steps. */
export type LoopEnd = 'finished' | 'halted';

export async function runSteps(engine: TrainingEngine, driver: LoopDriver): Promise<LoopEnd> {
  const guard = <T>(work: Promise<T>): Promise<T> => (driver.guard ? driver.guard(work) : work);
  for (;;) {
    if (!(await driver.proceed())) return 'halted';
    if (engine.position().epoch >= engine.epochs) return 'finished';
    await driver.onStep(await guard(engine.trainStep()));
    if (engine.position().iteration >= engine.itersPerEpoch) await driver.onEpoch(await guard(engine.endEpoch()));
  }
}
