/**
 * The page's worker and `lab train` run one assembly and one step loop (src/run): the same tiny settings trained
 * through each give the same results.csv rows and the same final weights, and a checkpoint written by either
 * resumes in the other. The worker runs in-process (the real TrainingSession over fake IndexedDB), the CLI through
 * its real command; both on the cpu backend, on the same 4 train + 2 val images of the bundled set.
 */
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { unpackResumeState } from '../../../src/run/resume-pack';
import { RUN_FILES, RunFiles } from '../../../src/run/run-files';
import { RunStore } from '../../../src/store/run-store';
import { parseResultsCsv, resultsCsv } from '../../../src/train/results-csv';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';
import { Harness, tinySettings } from '../worker/harness';
import { maxAbsDiff, weightsOf } from '../worker/weights-diff';
import { writeTinyFolder } from './tiny-folder';
import { run as trainCommand } from '../../../src/cli/commands/train';
import { lab } from '../cli/capture';

const SEED = 7;
const EPOCHS = 2;
const { root: tmp, data, model } = await writeTinyFolder('lab-drivers-');
const hypFile = join(tmp, 'hyp.yaml');
/** No accumulation (nbs = batch) and a short warm-up, so every step moves the weights. */
const HYP = 'nbs: 2\nwarmup_epochs: 1\nwarmup_min_iters: 1\nlr0: 0.05\n';
let dbCount = 0;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));


const cliArgs = (out: string) => ['--model', model, '--scale', 'l', '--data', data, '--img', '32', '--batch', '2', '--hyp', hypFile, '--epochs', String(EPOCHS), '--seed', String(SEED), '--backend', 'cpu', '--out', out];

function expectSameRows(actual: EpochRecord[], expected: EpochRecord[]): void {
  expect(actual.map((r) => r.epoch)).toEqual(expected.map((r) => r.epoch));
  actual.forEach((row, i) => {
    for (const tag of EPOCH_TAGS) expect(Math.abs(row[tag] - expected[i][tag]), `${tag} of epoch ${row.epoch}`).toBeLessThanOrEqual(1e-6);
  });
}

const settingsFor = (runId: string) => tinySettings(runId, { epochs: EPOCHS, seed: SEED, hypYaml: HYP });

/** What the worker left in the store: its results.csv rows (as the CLI would write them) and its final weights. */
async function workerResults(store: RunStore, runId: string): Promise<{ rows: EpochRecord[]; weights: ArrayBuffer; state: ArrayBuffer }> {
  const history = await store.getHistory(runId);
  const latestByEpoch = new Map(history.epochs.map((e) => [e.record.epoch, e.record]));
  const rows = parseResultsCsv(resultsCsv([...latestByEpoch.values()].sort((a, b) => a.epoch - b.epoch)));
  const checkpoint = await store.loadLatestCheckpoint(runId);
  if (!checkpoint) throw new Error(`no checkpoint of ${runId}`);
  return { rows, weights: checkpoint.weights, state: checkpoint.state };
}

describe('one run for the page and the CLI', () => {
  let cliRows: EpochRecord[];
  let cliWeights: Map<string, number[]>;

  beforeAll(async () => {
    writeFileSync(hypFile, HYP);
    const out = join(tmp, 'cli-full');
    const { code, stderr } = await lab('train', ...cliArgs(out));
    expect(code, stderr).toBe(0);
    cliRows = parseResultsCsv(readFileSync(join(out, RUN_FILES.results), 'utf8'));
    cliWeights = weightsOf(readFileSync(join(out, RUN_FILES.last)));
  });

  afterEach(() => vi.restoreAllMocks());

  it('the same settings through the worker session and through `lab train` give the same results.csv and weights', async () => {
    expect(cliRows).toHaveLength(EPOCHS);
    const store = await RunStore.open(`drivers-agree-${++dbCount}`);
    const h = new Harness({ store });
    h.client.init(settingsFor('worker-full'));
    h.client.start();
    await h.waitForDone();
    const worker = await workerResults(store, 'worker-full');
    expectSameRows(worker.rows, cliRows);
    expect(maxAbsDiff(weightsOf(worker.weights), cliWeights)).toBeLessThanOrEqual(1e-6);
  });

  it('a checkpoint written by `lab train` resumes in the worker session and finishes the same run', async () => {
    const out = join(tmp, 'cli-stopped');
    const stop = new AbortController();
    // Stop the CLI right after its first epoch's files are written, as Ctrl-C there would.
    const writeEpoch = RunFiles.prototype.onEpoch;
    vi.spyOn(RunFiles.prototype, 'onEpoch').mockImplementation(async function (this: RunFiles, outcome) {
      await writeEpoch.call(this, outcome);
      stop.abort();
    });
    const code = await trainCommand(cliArgs(out), { stop: stop.signal });
    expect(code).toBe(130);
    vi.restoreAllMocks();

    // Into a page's store, as importing the run folder would put it.
    const packed = new Uint8Array(readFileSync(join(out, RUN_FILES.resume)));
    const state = unpackResumeState(packed);
    expect(state.progress.epoch).toBe(1);
    expect(state.settings?.data).toEqual({ kind: 'folder', path: data });
    const settings = state.settings!;
    const store = await RunStore.open(`drivers-agree-${++dbCount}`);
    const now = Date.now();
    await store.putRun({ runId: settings.runId, settings, status: 'stopped', createdAt: now, updatedAt: now, attempt: 0, epochsDone: 1, globalStep: 2, bestMap50: 0, trainMs: 0, totalParams: 0 });
    const weights = readFileSync(join(out, RUN_FILES.last));
    await store.saveCheckpoint({
      runId: settings.runId,
      epoch: 1,
      globalStep: 2,
      reason: 'stop',
      bytes: packed.byteLength,
      savedAt: now,
      weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      state: packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength),
    });

    const h = new Harness({ store });
    h.client.resumeRun(settings);
    await h.waitForState('paused');
    h.client.resume();
    await h.waitForDone();
    expect(h.of('step').map((s) => s.globalStep)).toEqual([3, 4]);
    const resumed = await workerResults(store, settings.runId);
    // The worker logged epoch 1 only; epoch 0 comes from the CLI's results.csv, as the page keeps the imported history.
    expectSameRows(resumed.rows, cliRows.slice(1));
    expect(maxAbsDiff(weightsOf(resumed.weights), cliWeights)).toBeLessThanOrEqual(1e-6);
  });

  it('a checkpoint written by the worker session resumes in `lab train` and finishes the same run', async () => {
    const store = await RunStore.open(`drivers-agree-${++dbCount}`);
    const h = new Harness({ store });
    h.client.init(settingsFor('worker-stopped'));
    // Three teaching steps: epoch 0 (two batches) closes, then one batch of epoch 1; stop checkpoints there.
    for (let i = 1; i <= 3; i++) {
      const since = h.events.length;
      h.client.stepOnce();
      await h.waitForState('paused', since);
    }
    h.client.stop();
    await h.waitForState('stopped');
    const { state } = await workerResults(store, 'worker-stopped');

    const out = join(tmp, 'from-worker');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, RUN_FILES.resume), new Uint8Array(state));
    // The page's run reads the bundled set over HTTP; here --data names the same files on disk.
    const { code, stdout, stderr } = await lab('train', '--resume', '--out', out, '--data', data, '--backend', 'cpu');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/resuming at epoch 1 iteration 1/);
    expectSameRows(parseResultsCsv(readFileSync(join(out, RUN_FILES.results), 'utf8')), cliRows);
    expect(maxAbsDiff(weightsOf(readFileSync(join(out, RUN_FILES.last))), cliWeights)).toBeLessThanOrEqual(1e-6);
  });

  it("a run folder in the older layout (resume.json + resume.safetensors, the CLI's own settings) still resumes", async () => {
    // The older layout, made from a pack stopped after epoch 0: the same two files, loose, with version 1's fields.
    const stopped = unzipSync(new Uint8Array(readFileSync(join(tmp, 'cli-stopped', RUN_FILES.resume))));
    const doc = JSON.parse(strFromU8(stopped[RUN_FILES.legacyResumeJson]));
    const legacySettings = { model, modelYaml: doc.settings.modelYaml, scale: 'l', data, img: 32, batch: 2, epochs: EPOCHS, hypFile, hyp: doc.hyp, seed: SEED, out: 'x', backend: 'cpu' };
    const out = join(tmp, 'legacy');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, RUN_FILES.legacyResumeJson), JSON.stringify({ version: 1, settings: legacySettings, progress: doc.progress }));
    writeFileSync(join(out, RUN_FILES.legacyResumeTensors), stopped[RUN_FILES.legacyResumeTensors]);
    const { code, stdout, stderr } = await lab('train', '--resume', '--out', out);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/resuming at epoch 1 iteration 0/);
    expectSameRows(parseResultsCsv(readFileSync(join(out, RUN_FILES.results), 'utf8')), cliRows);
    expect(maxAbsDiff(weightsOf(readFileSync(join(out, RUN_FILES.last))), cliWeights)).toBeLessThanOrEqual(1e-6);
  });

  it('`lab train --resume` in a fresh process, where no backend is set before the state is read, finishes the run', () => {
    const out = join(tmp, 'fresh-process');
    cpSync(join(tmp, 'cli-stopped'), out, { recursive: true });
    const resumed = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/lab.ts', 'train', '--resume', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming at epoch 1 iteration 0/);
    expectSameRows(parseResultsCsv(readFileSync(join(out, RUN_FILES.results), 'utf8')), cliRows);
    expect(maxAbsDiff(weightsOf(readFileSync(join(out, RUN_FILES.last))), cliWeights)).toBeLessThanOrEqual(1e-6);
  });

  it('refuses an --out folder that already holds a run, naming --resume', async () => {
    const { code, stderr } = await lab('train', ...cliArgs(join(tmp, 'cli-full')));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/already holds a run.*--resume --out/);
  });
});
