/**
 * The learning-rate, momentum and accumulation schedule of ScaledYOLOv4's train.py (yolov4-csp line):
 * - per epoch, a cosine factor lf(e) = ((1 + cos(π·e/E))/2)·(1 − lrf) + lrf (LambdaLR, stepped after each epoch);
 * - per iteration during warm-up (ni ≤ nw), linear interpolation from the warm-up values to the epoch's values:
 *   bias lr (group 2) falls from warmup_bias_lr, the other lrs rise from 0, momentum rises from warmup_momentum, and
 *   gradient accumulation rises from 1 to nbs/batch (nbs = 64, the nominal batch).
 */
import type { Hyp } from './hyp';

/** Per-group lrs [group 0 BN weights, group 1 conv weights, group 2 biases]. */
export type GroupLrs = [number, number, number];

export interface IterationSettings {
  lrs: GroupLrs;
  momentum: number;
  /** Batches whose gradients are summed before one optimizer step. */
  accumulate: number;
}

/** numpy.interp for two points, clamped at the ends. */
function interp2(x: number, x0: number, x1: number, y0: number, y1: number): number {
  if (x >= x1) return y1; // first, so a zero-length warm-up gives the final values (as np.interp does)
  if (x <= x0) return y0;
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}

/** Round half to even, as numpy's .round() does (accumulate uses it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The cosine lr factor at `epoch` of `epochs` (1 at epoch 0, lrf at epoch E). */
export function cosineLf(epoch: number, epochs: number, lrf: number): number {
  return ((1 + Math.cos((Math.PI * epoch) / epochs)) / 2) * (1 - lrf) + lrf;
}

/** accumulate = max(round(nbs/batch), 1) once warm-up is over (nbs = 64). Python's round() is half-to-even too. */
export function finalAccumulate(batch: number, nbs: number): number {
  return Math.max(roundHalfEven(nbs / batch), 1);
}

/** Warm-up length in iterations: max(round(warmup_epochs·nb), warmup_min_iters) (the source's floor is 1000). */
export function warmupIterations(hyp: Pick<Hyp, 'warmup_epochs' | 'warmup_min_iters'>, batchesPerEpoch: number): number {
  return Math.max(roundHalfEven(hyp.warmup_epochs * batchesPerEpoch), hyp.warmup_min_iters);
}

export interface ScheduleOptions {
  hyp: Pick<
    Hyp,
    'lr0' | 'lrf' | 'momentum' | 'warmup_epochs' | 'warmup_momentum' | 'warmup_bias_lr' | 'warmup_min_iters' | 'nbs'
  >;
  epochs: number;
  batchesPerEpoch: number;
  batch: number;
}

export class Schedule {
  readonly warmupIters: number;
  readonly accumulate: number;

  constructor(private readonly opts: ScheduleOptions) {
    this.warmupIters = warmupIterations(opts.hyp, opts.batchesPerEpoch);
    this.accumulate = finalAccumulate(opts.batch, opts.hyp.nbs);
  }

  /** lr0·lf(epoch): every group's lr once warm-up is over. */
  epochLr(epoch: number): number {
    const { hyp, epochs } = this.opts;
    return hyp.lr0 * cosineLf(epoch, epochs, hyp.lrf);
  }

  /** The settings for global iteration `ni` (= epoch·nb + i) in `epoch`. */
  at(ni: number, epoch: number): IterationSettings {
    const { hyp, batch } = this.opts;
    const lr = this.epochLr(epoch);
    const nw = this.warmupIters;
    if (ni > nw) return { lrs: [lr, lr, lr], momentum: hyp.momentum, accumulate: this.accumulate };
    return {
      lrs: [interp2(ni, 0, nw, 0, lr), interp2(ni, 0, nw, 0, lr), interp2(ni, 0, nw, hyp.warmup_bias_lr, lr)],
      momentum: interp2(ni, 0, nw, hyp.warmup_momentum, hyp.momentum),
      accumulate: Math.max(1, roundHalfEven(interp2(ni, 0, nw, 1, hyp.nbs / batch))),
    };
  }
}
