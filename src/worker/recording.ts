/**
 * What the worker keeps of a run in the page's store: its history points (through HistoryWriter, which survives a
 * full disk), its checkpoints and its status. Failures to write are reported to the page, never thrown into the loop,
 * except a checkpoint failure that is not a full disk.
 */
import type { TrainingEngine } from '../run/engine';
import { HistoryWriter } from '../store/history-writer';
import { isQuotaError } from '../store/quota';
import type { EpochRow, StepRow } from '../store/records';
import type { RunStore } from '../store/run-store';
import { errorTexts, messageOf } from './error-texts';
import type { FeatureMapSet } from '../model/feature-maps';
import type { CheckpointReason, PredictionImage, RecoveryOffer, RunStatus, WorkerEvent } from './protocol';

export class RunRecorder {
  private readonly writer: HistoryWriter;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly post: (event: WorkerEvent) => void,
    /** Training time so far, carried over from earlier attempts of the run. */
    public trainMs: number,
  ) {
    this.writer = new HistoryWriter(store, runId, {
      onWriteFailed: (error, quota) => this.onHistoryWriteFailed(error, quota),
      onRecovered: () => this.post({ type: 'log', runId, level: 'info', message: errorTexts.historyRecovered }),
    });
  }

  appendStep(row: StepRow): void {
    void this.writer.appendStep(row);
  }

  appendEpoch(row: EpochRow): Promise<void> {
    return this.writer.appendEpoch(row);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async bestMap50(): Promise<number> {
    return (await this.store.getRun(this.runId))?.bestMap50 ?? 0;
  }

  /** Where the run's latest checkpoint was taken, if it has one. */
  async lastCheckpoint(): Promise<{ epoch: number; globalStep: number } | undefined> {
    const all = await this.store.listCheckpoints(this.runId);
    const latest = all[all.length - 1];
    return latest && { epoch: latest.epoch, globalStep: latest.globalStep };
  }

  /** Saves the engine's weights and resume state; a full disk is reported and the run goes on. */
  async checkpoint(engine: TrainingEngine, reason: CheckpointReason): Promise<void> {
    const runId = this.runId;
    const position = engine.position();
    const { weights, state } = await engine.snapshot();
    const bytes = weights.byteLength + state.byteLength;
    const meta = { epoch: position.epoch, globalStep: position.globalStep, reason, bytes };
    try {
      await this.store.saveCheckpoint({ ...meta, runId, savedAt: Date.now(), weights, state });
      await this.store.updateRun(runId, { trainMs: this.trainMs });
      this.post({ type: 'checkpoint', runId, ...meta, saved: true });
    } catch (error) {
      this.post({ type: 'checkpoint', runId, ...meta, saved: false });
      if (!isQuotaError(error)) throw error;
      this.post({
        type: 'error',
        runId,
        code: 'quota-exceeded',
        message: errorTexts.checkpointQuota(reason, bytes),
        context: { phase: 'checkpoint', epoch: position.epoch, globalStep: position.globalStep },
        offers: this.quotaOffers(),
      });
    }
  }

  /**
   * Keeps the newest val predictions and feature maps with the run, for the Predictions tab after a reload. Called
   * before they are posted (posting moves their bytes to the page); a failed write is logged, the run goes on.
   */
  async saveViews(predictions: { epoch: number; images: PredictionImage[] }, featureMaps?: FeatureMapSet): Promise<void> {
    try {
      if (predictions.images.length > 0) await this.store.putPredictions(this.runId, predictions.epoch, predictions.images);
      if (featureMaps) await this.store.putFeatureMaps(this.runId, featureMaps);
    } catch (error) {
      this.post({ type: 'log', runId: this.runId, level: 'info', message: errorTexts.viewsNotRecorded(messageOf(error)) });
    }
  }

  /** Records the status (and its cause, or none); a failed write is logged, the status still changes. */
  async recordStatus(status: RunStatus, cause?: string): Promise<void> {
    try {
      await this.store.updateRun(this.runId, { status, cause, trainMs: this.trainMs });
    } catch (error) {
      this.post({ type: 'log', runId: this.runId, level: 'info', message: errorTexts.statusNotRecorded(status, messageOf(error)) });
    }
  }

  private onHistoryWriteFailed(error: unknown, quota: boolean): void {
    this.post({
      type: 'error',
      runId: this.runId,
      code: quota ? 'quota-exceeded' : 'internal',
      message: quota ? errorTexts.historyQuota : errorTexts.historyWriteFailed(messageOf(error)),
      context: { phase: 'persist', detail: messageOf(error) },
      offers: quota ? this.quotaOffers() : undefined,
    });
  }

  private quotaOffers(): RecoveryOffer[] {
    return [{ kind: 'delete-old-checkpoints', runId: this.runId }];
  }
}
