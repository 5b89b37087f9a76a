/** Errors the training core throws on purpose, typed so the worker and the CLI can report them precisely. */

export type LossTerm = 'box' | 'obj' | 'cls' | 'total';

/**
 * A loss term became NaN or ±Inf: the run stops before the bad gradients touch the weights or the optimizer state.
 * (That batch's train-mode forward has already updated the BN running stats, as in PyTorch: resume from the last
 * checkpoint, not from the live model.)
 */
export class NonFiniteLossError extends Error {
  constructor(
    /** Global step (batches since the start of the run, 1-based: the step that failed, or the last before a validation). */
    readonly step: number,
    readonly term: LossTerm,
    readonly value: number,
    readonly epoch: number,
    readonly iteration: number,
    /** `val`: the epoch's validation on the EMA model gave the non-finite loss (the epoch is not recorded). */
    readonly phase: 'train' | 'val' = 'train',
  ) {
    super(`non-finite ${phase === 'val' ? 'val ' : ''}${term} loss (${value}) at step ${step} (epoch ${epoch}, iteration ${iteration})`);
    this.name = 'NonFiniteLossError';
  }
}

/**
 * The weights, EMA or optimizer state hold NaN or ±Inf: a checkpoint of them would only fail again, so none is saved
 * and the run's last good checkpoint stays its resume point.
 */
export class NonFiniteStateError extends Error {
  constructor(
    /** How many values are not finite, and the tensors that hold them (first ones only). */
    readonly count: number,
    readonly tensors: string[],
    readonly epoch: number,
    readonly step: number,
  ) {
    super(`the training state holds ${count} non-finite values (in ${tensors.join(', ')}) at epoch ${epoch}, step ${step}: it is not saved`);
    this.name = 'NonFiniteStateError';
  }
}
