/** Errors the training core throws on purpose, typed so the worker and the CLI can report them precisely. */

export type LossTerm = 'box' | 'obj' | 'cls' | 'total';

/**
 * A loss term became NaN or ±Inf: the run stops before the bad gradients touch the weights or the optimizer state.
 * (That batch's train-mode forward has already updated the BN running stats, as in PyTorch: resume from the last
 * checkpoint, not from the live model.)
 */
export class NonFiniteLossError extends Error {
  constructor(
    /** Global step (batches since the start of the run, 1-based: the step that failed). */
    readonly step: number,
    readonly term: LossTerm,
    readonly value: number,
    readonly epoch: number,
    readonly iteration: number,
  ) {
    super(`non-finite ${term} loss (${value}) at step ${step} (epoch ${epoch}, iteration ${iteration})`);
    this.name = 'NonFiniteLossError';
  }
}
