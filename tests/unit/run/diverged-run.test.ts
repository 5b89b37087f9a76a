/**
 * A diverged run (lr0 1e6) stops with a non-zero exit, saves nothing that is not finite, names its last good
 * checkpoint, and continues from it with a sane hyp; the worker does the same in the page's store.
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { nodeImageDecoder } from '../../../src/cli/node-files';
import { assembleRun } from '../../../src/run/assemble';
import { unpackResumeState } from '../../../src/run/resume-pack';
import { RUN_FILES } from '../../../src/run/run-files';
import { RunStore } from '../../../src/store/run-store';
import { NonFiniteStateError } from '../../../src/train/errors';
import { lab } from '../cli/capture';
import { Harness, tinySettings, tinyVehicleSource } from '../worker/harness';
import { writeTinyFolder } from './tiny-folder';

const { root, data, model } = await writeTinyFolder('lab-diverged-');
const BLOW_UP = 'lr0: 1.0e+6\nnbs: 2\nwarmup_epochs: 0\nwarmup_min_iters: 1\n';
const SANE = 'lr0: 0.01\n';

/** Every value of every tensor of a packed resume state is finite. */
function expectFiniteState(bytes: Uint8Array): void {
  const state = unpackResumeState(bytes);
  for (const [name, a] of state.arrays) expect(a.data.every(Number.isFinite), name).toBe(true);
}

describe('a diverged run', () => {
  it('`lab train` exits non-zero, keeps only finite checkpoints, and resumes with a sane --hyp', async () => {
    writeFileSync(join(root, 'blow-up.yaml'), BLOW_UP);
    writeFileSync(join(root, 'sane.yaml'), SANE);
    const out = join(root, 'run');
    const args = ['--model', model, '--data', data, '--img', '32', '--batch', '2', '--backend', 'cpu', '--seed', '1'];
    const failed = await lab('train', ...args, '--epochs', '3', '--hyp', join(root, 'blow-up.yaml'), '--out', out);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/non-finite .*loss .*The run is stopped; the last good checkpoint \(epoch \d+, step \d+\) is .*resume\.zip/);
    expectFiniteState(new Uint8Array(readFileSync(join(out, RUN_FILES.resume))));

    const resumed = await lab('train', '--resume', '--out', out, '--hyp', join(root, 'sane.yaml'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expectFiniteState(new Uint8Array(readFileSync(join(out, RUN_FILES.resume))));
    const opt = load(readFileSync(join(out, RUN_FILES.opt), 'utf8')) as { hyp_changes: { hyp_file: string; changed: Record<string, number[]> }[] };
    expect(opt.hyp_changes).toHaveLength(1);
    expect(opt.hyp_changes[0].changed.lr0).toEqual([1e6, 0.01]);
    expect((load(readFileSync(join(out, RUN_FILES.hyp), 'utf8')) as { lr0: number }).lr0).toBe(0.01);
    const rows = readFileSync(join(out, RUN_FILES.results), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.split(',').map(Number).every(Number.isFinite)).toBe(true);
  });

  it('in the worker, the run fails with the cause and every stored checkpoint is finite', async () => {
    const store = await RunStore.open('diverged-worker');
    const h = new Harness({ store });
    h.client.init(tinySettings('diverged', { epochs: 3, hypYaml: BLOW_UP }));
    h.client.start();
    const failed = await h.waitForState('failed');
    expect(failed.cause).toMatch(/loss became .* The run is stopped/);
    const error = h.of('error').find((e) => e.code === 'non-finite-loss');
    expect(error?.message).toMatch(/(Its last good checkpoint is from epoch \d+|It has no checkpoint yet)/);
    for (const listing of await store.listCheckpoints('diverged')) {
      const checkpoint = await store.loadLatestCheckpoint('diverged');
      expect(listing.epoch).toBeLessThanOrEqual(checkpoint!.epoch);
      expectFiniteState(new Uint8Array(checkpoint!.state));
    }

    // The page's "Resume with form hyp": the run continues with a sane lr0 and finishes.
    const since = h.events.length;
    h.client.resumeRun((await store.getRun('diverged'))!.settings, SANE);
    await h.waitForDone(since);
    const notices = h.events.slice(since).filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    expect(notices).toContain('continuing with other hyperparameters: lr0 1000000 → 0.01');
    const stored = await store.getRun('diverged');
    expect(stored?.status).toBe('done');
    expect(stored?.settings.hypYaml).toMatch(/^lr0: 0\.01$/m);
    expectFiniteState(new Uint8Array((await store.loadLatestCheckpoint('diverged'))!.state));
  });

  it('a state holding NaN is refused before it is saved, naming where', async () => {
    await tf.setBackend('cpu');
    const run = await assembleRun(tinySettings('nan-state'), { source: tinyVehicleSource(), decoder: nodeImageDecoder, previewImages: 0 });
    const weight = run.trainer.emaModel.parameters()[0].variable;
    weight.assign(tf.fill(weight.shape, Number.NaN));
    const error = await run.snapshot().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteStateError);
    expect((error as NonFiniteStateError).count).toBe(weight.size);
    expect((error as NonFiniteStateError).tensors[0]).toMatch(/^ema\//);
    run.dispose();
  });
});
