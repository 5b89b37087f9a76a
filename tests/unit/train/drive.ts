/**
 * Drives a bare Trainer over its batch source, for the tests of the training core alone (the lab's drivers go through
 * src/run's step loop, which needs an assembled run).
 */
import type { BatchSource, Trainer, TrainerEvent } from '../../../src/train/trainer';

/** Trains to the last epoch, or until `shouldStop` says so after an event; true when all epochs are done. */
export async function drive(
  t: Trainer,
  train: BatchSource,
  onEvent: (event: TrainerEvent) => void | Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<boolean> {
  while (!t.done) {
    for await (const batch of train.epoch(t.progress.epoch, t.progress.iteration)) {
      await onEvent(await t.trainStep(batch));
      if (shouldStop()) return false;
    }
    await onEvent(await t.finishEpoch());
    if (shouldStop()) return t.done;
  }
  return true;
}
