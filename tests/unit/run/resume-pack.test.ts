/**
 * The packed resume state: one zip holding resume.json and resume.safetensors, the same bytes in IndexedDB and in a
 * CLI run folder. Older layouts still load; a state that does not fit is refused with a message naming it.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../../src/model/safetensors';
import { assembleRun } from '../../../src/run/assemble';
import { RESUME_JSON, RESUME_TENSORS, ResumeStateError, decodeResumeFiles, unpackResumeState } from '../../../src/run/resume-pack';
import { nodeImageDecoder } from '../../../src/cli/node-files';
import { tinySettings, tinyVehicleSource } from '../worker/harness';

const inputs = () => ({ source: tinyVehicleSource(), decoder: nodeImageDecoder, previewImages: 0 });

describe('resume pack', () => {
  let packed: Uint8Array;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const run = await assembleRun(tinySettings('pack', { epochs: 2, hypYaml: 'lr0: 0.02\n' }), inputs());
    await run.trainStep();
    packed = new Uint8Array((await run.snapshot()).state);
    run.dispose();
  });

  it('holds the run, its position, its resolved hyp and every state tensor, as plain arrays', () => {
    // No tf tensor yet: `lab train --resume` reads the state to learn which backend to set.
    const before = tf.memory().numTensors;
    const state = unpackResumeState(packed);
    expect(tf.memory().numTensors).toBe(before);
    expect(state.runId).toBe('pack');
    expect(state.settings?.classNames).toEqual(['motorcycle', 'car', 'bus', 'truck']);
    expect(state.hyp?.lr0).toBe(0.02);
    expect(state.progress).toMatchObject({ epoch: 0, iteration: 1, globalStep: 1 });
    const names = [...state.arrays.keys()];
    expect(names.some((n) => n.startsWith('model/'))).toBe(true);
    expect(names.some((n) => n.startsWith('ema/'))).toBe(true);
    expect(names.some((n) => n.startsWith('optimizer/'))).toBe(true);
  });

  it('resumes with the hyp it stored, whatever the settings say now', async () => {
    const run = await assembleRun(tinySettings('pack', { epochs: 2, hypYaml: 'lr0: 0.5\n' }), inputs(), packed);
    expect(run.hyp.lr0).toBe(0.02);
    expect(run.position()).toEqual({ epoch: 0, iteration: 1, globalStep: 1 });
    run.dispose();
  });

  it('is refused by another run, and when it is not a pack, naming what is wrong', async () => {
    const tensors = tf.memory().numTensors;
    await expect(assembleRun(tinySettings('other'), inputs(), packed)).rejects.toThrow("the resume state belongs to run 'pack', not to 'other'");
    expect(tf.memory().numTensors).toBe(tensors);
    expect(() => unpackResumeState(strToU8('not a zip'), 'runs/x/resume.zip')).toThrow(/runs\/x\/resume.zip is not a resume state of this lab/);
    expect(() => unpackResumeState(zipSync({ [RESUME_JSON]: strToU8('{}') }), 'R')).toThrow(`R lacks ${RESUME_TENSORS}`);
    const bad = zipSync({ [RESUME_JSON]: strToU8('{"version":2,"epoch":3,"globalStep":9,"progress":{"epoch":1,"globalStep":4}}'), [RESUME_TENSORS]: encodeSafetensors({}) });
    expect(() => unpackResumeState(bad, 'R')).toThrow(ResumeStateError);
    expect(() => unpackResumeState(bad, 'R')).toThrow('says epoch 3 step 9 but its progress is at epoch 1 step 4');
  });

  it("still reads the older layouts: the page's version-1 zip and the CLI's two loose files", () => {
    const state = unpackResumeState(packed);
    const progress = state.progress;
    const tensorBytes = encodeSafetensors({ 'model/w': { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });

    const pageV1 = zipSync({ [RESUME_JSON]: strToU8(JSON.stringify({ version: 1, settings: 'pack', progress })), [RESUME_TENSORS]: tensorBytes });
    const fromPage = unpackResumeState(pageV1);
    expect(fromPage).toMatchObject({ runId: null, settings: null, hyp: null, legacySettings: 'pack', progress });
    expect(Array.from(fromPage.arrays.get('model/w')!.data)).toEqual([1, 2]);

    const cliSettings = { model: 'm.yaml', modelYaml: 'nc: 4', img: 64 };
    const fromCli = decodeResumeFiles(JSON.stringify({ version: 1, settings: cliSettings, progress }), tensorBytes);
    expect(fromCli.legacySettings).toEqual(cliSettings);
    expect(fromCli.arrays.get('model/w')?.shape).toEqual([2]);
  });
});
