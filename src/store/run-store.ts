/**
 * Runs in IndexedDB (via idb): settings, the complete step and epoch history, and checkpoints. Used by the worker
 * (writes as events happen) and by the page (run list, history for the charts, exports). No tfjs, no DOM beyond
 * IndexedDB itself, so it runs in a worker, a page, and in Node tests on fake-indexeddb.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FeatureMapSet } from '../model/feature-maps';
import type { PredictionImage } from '../run/progress';
import type { CheckpointMeta, CheckpointRow, EpochRow, RunHistory, RunRecord, RunViews, StepRow } from './records';

export const DEFAULT_DB_NAME = 'backbone-lab';
/** 1: runs, history, checkpoints. 2: + views (the last val predictions and feature maps of each run). */
const DB_VERSION = 2;
/** What a run's stored val images may take: the newest predictions keep as many images as fit. */
export const MAX_STORED_PREDICTION_BYTES = 5 * 1024 ** 2;

type CheckpointKey = [string, number];

export interface CheckpointListing extends CheckpointMeta {
  runId: string;
}

interface LabDB extends DBSchema {
  runs: { key: string; value: RunRecord };
  steps: { key: [string, number, number]; value: StepRow };
  epochs: { key: [string, number, number]; value: EpochRow };
  /** Checkpoint metadata, small, so that listing and pruning never read the weights. */
  checkpoints: { key: CheckpointKey; value: CheckpointListing };
  checkpointData: { key: CheckpointKey; value: { weights: ArrayBuffer; state: ArrayBuffer } };
  views: { key: string; value: RunViews };
}

/** Every key of one run, for the stores keyed `[runId, ...numbers]`. */
function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId], [runId, []]);
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<LabDB>) {}

  static async open(name: string = DEFAULT_DB_NAME): Promise<RunStore> {
    const db = await openDB<LabDB>(name, DB_VERSION, {
      // One step per version, so a store of any earlier version opens with its runs intact.
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore('runs', { keyPath: 'runId' });
          database.createObjectStore('steps', { keyPath: ['runId', 'attempt', 'globalStep'] });
          database.createObjectStore('epochs', { keyPath: ['runId', 'attempt', 'record.epoch'] });
          database.createObjectStore('checkpoints', { keyPath: ['runId', 'globalStep'] });
          database.createObjectStore('checkpointData');
        }
        if (oldVersion < 2) database.createObjectStore('views', { keyPath: 'runId' });
      },
    });
    return new RunStore(db);
  }

  close(): void {
    this.db.close();
  }

  async putRun(run: RunRecord): Promise<void> {
    await this.db.put('runs', run);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.db.get('runs', runId);
  }

  /** Newest first. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.db.getAll('runs');
    return runs.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Read-modify-write in one transaction, so concurrent patches from the worker and the page do not clobber. */
  async updateRun(runId: string, patch: Partial<Omit<RunRecord, 'runId'>>): Promise<RunRecord> {
    const tx = this.db.transaction('runs', 'readwrite');
    const current = await tx.store.get(runId);
    if (!current) throw new Error(`run ${runId} does not exist`);
    const next: RunRecord = { ...current, ...patch, updatedAt: Date.now() };
    await tx.store.put(next);
    await tx.done;
    return next;
  }

  async renameRun(runId: string, name: string): Promise<void> {
    const run = await this.getRun(runId);
    if (!run) throw new Error(`run ${runId} does not exist`);
    await this.updateRun(runId, { settings: { ...run.settings, name } });
  }

  async deleteRun(runId: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'steps', 'epochs', 'checkpoints', 'checkpointData', 'views'], 'readwrite');
    const range = runRange(runId);
    await Promise.all([
      tx.objectStore('runs').delete(runId),
      tx.objectStore('views').delete(runId),
      tx.objectStore('steps').delete(range),
      tx.objectStore('epochs').delete(range),
      tx.objectStore('checkpoints').delete(range),
      tx.objectStore('checkpointData').delete(range),
      tx.done,
    ]);
  }

  /**
   * Appends history rows and moves the run's progress counters, in one transaction: either all of it lands or none
   * (a quota error leaves the caller's rows pending, see HistoryWriter).
   */
  async appendHistory(runId: string, steps: StepRow[], epochs: EpochRow[]): Promise<void> {
    const tx = this.db.transaction(['runs', 'steps', 'epochs'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (const row of steps) writes.push(tx.objectStore('steps').put(row));
    for (const row of epochs) writes.push(tx.objectStore('epochs').put(row));
    const run = await tx.objectStore('runs').get(runId);
    if (run) {
      const lastStep = steps[steps.length - 1];
      const next: RunRecord = { ...run, updatedAt: Date.now() };
      if (lastStep) next.globalStep = Math.max(run.globalStep, lastStep.globalStep);
      for (const row of epochs) {
        next.epochsDone = Math.max(next.epochsDone, row.record.epoch + 1);
        next.bestMap50 = Math.max(next.bestMap50, row.record['metrics/mAP_0.5']);
      }
      writes.push(tx.objectStore('runs').put(next));
    }
    await Promise.all([...writes, tx.done]);
  }

  /** Everything logged for a run, every attempt included, ordered by attempt then step/epoch. */
  async getHistory(runId: string): Promise<RunHistory> {
    const range = runRange(runId);
    const [steps, epochs] = await Promise.all([this.db.getAll('steps', range), this.db.getAll('epochs', range)]);
    return { steps, epochs };
  }

  /** The run's last val predictions and feature maps, when it has any. */
  async getViews(runId: string): Promise<RunViews | undefined> {
    return this.db.get('views', runId);
  }

  /** Keeps the newest predictions of a run: its first images, as many as fit MAX_STORED_PREDICTION_BYTES. */
  async putPredictions(runId: string, epoch: number, images: PredictionImage[]): Promise<void> {
    let bytes = 0;
    const kept = images.filter((image) => (bytes += image.bytes.byteLength) <= MAX_STORED_PREDICTION_BYTES);
    await this.patchViews(runId, { predictions: { epoch, images: kept } });
  }

  async putFeatureMaps(runId: string, featureMaps: FeatureMapSet): Promise<void> {
    await this.patchViews(runId, { featureMaps });
  }

  private async patchViews(runId: string, patch: Omit<RunViews, 'runId'>): Promise<void> {
    const tx = this.db.transaction('views', 'readwrite');
    const current = await tx.store.get(runId);
    await Promise.all([tx.store.put({ ...current, ...patch, runId }), tx.done]);
  }

  /**
   * Stores a checkpoint and records it on the run, atomically; then keeps only the newest `keep` checkpoints of the
   * run (pruning happens after the new one is safely written).
   */
  async saveCheckpoint(row: CheckpointRow, keep = 2): Promise<void> {
    const { weights, state, ...meta } = row;
    const key: CheckpointKey = [row.runId, row.globalStep];
    const tx = this.db.transaction(['runs', 'checkpoints', 'checkpointData'], 'readwrite');
    const run = await tx.objectStore('runs').get(row.runId);
    const { runId: _runId, ...checkpointMeta } = meta;
    const writes: Promise<unknown>[] = [
      tx.objectStore('checkpoints').put(meta),
      tx.objectStore('checkpointData').put({ weights, state }, key),
    ];
    if (run) writes.push(tx.objectStore('runs').put({ ...run, lastCheckpoint: checkpointMeta, updatedAt: Date.now() }));
    await Promise.all([...writes, tx.done]);
    await this.pruneCheckpoints(row.runId, keep);
  }

  async listCheckpoints(runId?: string): Promise<CheckpointListing[]> {
    return runId === undefined ? this.db.getAll('checkpoints') : this.db.getAll('checkpoints', runRange(runId));
  }

  async loadLatestCheckpoint(runId: string): Promise<CheckpointRow | undefined> {
    const metas = await this.listCheckpoints(runId);
    const latest = metas[metas.length - 1];
    if (!latest) return undefined;
    const data = await this.db.get('checkpointData', [runId, latest.globalStep]);
    return data ? { ...latest, ...data } : undefined;
  }

  /**
   * Frees space: deletes all but the newest `keepPerRun` checkpoints of every run. History is never touched.
   * Returns what was freed, for the quota message.
   */
  async deleteOldCheckpoints(keepPerRun = 1): Promise<{ deleted: number; freedBytes: number }> {
    const all = await this.listCheckpoints();
    const byRun = new Map<string, CheckpointListing[]>();
    for (const meta of all) byRun.set(meta.runId, [...(byRun.get(meta.runId) ?? []), meta]);
    const doomed = [...byRun.values()].flatMap((metas) => metas.slice(0, Math.max(0, metas.length - keepPerRun)));
    await this.deleteCheckpoints(doomed);
    return { deleted: doomed.length, freedBytes: doomed.reduce((sum, meta) => sum + meta.bytes, 0) };
  }

  private async pruneCheckpoints(runId: string, keep: number): Promise<void> {
    const metas = await this.listCheckpoints(runId);
    await this.deleteCheckpoints(metas.slice(0, Math.max(0, metas.length - keep)));
  }

  private async deleteCheckpoints(metas: CheckpointListing[]): Promise<void> {
    if (metas.length === 0) return;
    const tx = this.db.transaction(['checkpoints', 'checkpointData'], 'readwrite');
    const deletes = metas.flatMap((meta) => {
      const key: CheckpointKey = [meta.runId, meta.globalStep];
      return [tx.objectStore('checkpoints').delete(key), tx.objectStore('checkpointData').delete(key)];
    });
    await Promise.all([...deletes, tx.done]);
  }
}
