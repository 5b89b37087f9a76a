/** An imported run file with a bad field is refused, naming the file and the field's path. */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeRunFile, RunFileError, RUN_FILE_FORMAT, RUN_FILE_VERSION } from '../../../src/store/run-file';
import { runFileProblem } from '../../../src/store/run-file-check';

const run = { runId: 'r1', settings: { name: 'x' }, status: 'done', attempt: 0, createdAt: 1, updatedAt: 2 };
const step = { epoch: 0, iteration: 0, itersPerEpoch: 1, globalStep: 1, values: {}, imagesPerSec: 1, memoryBytes: 0, numTensors: 0, time: 1, attempt: 0 };

function runFile(parts: { run?: unknown; steps?: unknown; epochs?: unknown }): Uint8Array {
  return zipSync({
    'run.json': strToU8(JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, run: parts.run ?? run })),
    'history/steps.json': strToU8(JSON.stringify(parts.steps ?? [step])),
    'history/epochs.json': strToU8(JSON.stringify(parts.epochs ?? [])),
  });
}

describe('run file fields', () => {
  it('a good file decodes', () => {
    expect(decodeRunFile(runFile({})).history.steps).toHaveLength(1);
  });

  it('bad fields are refused by file and path (today steps: 5 gave a raw TypeError)', () => {
    const cases: [Parameters<typeof runFile>[0], string][] = [
      [{ steps: 5 }, 'history/steps.json: must be a list of rows, got 5'],
      [{ steps: [step, { ...step, globalStep: 'x' }] }, 'history/steps.json: [1].globalStep must be a number, got "x"'],
      [{ epochs: [null] }, 'history/epochs.json: [0] must be an object, got null'],
      [{ run: { ...run, settings: 'none' } }, 'run.json: run.settings must be an object, got "none"'],
    ];
    for (const [parts, message] of cases) {
      expect(() => decodeRunFile(runFile(parts))).toThrow(RunFileError);
      expect(() => decodeRunFile(runFile(parts))).toThrow(`not a usable run file: ${message}`);
    }
  });

  it('checks checkpoint.json when there are weights, and keeps messages short', () => {
    expect(runFileProblem({ run, steps: [], epochs: [], checkpoint: { epoch: 1 } })).toBe('checkpoint.json: globalStep must be a number, got nothing');
    const huge = { ...run, runId: Array(100_000).fill('x') };
    expect(runFileProblem({ run: huge, steps: [], epochs: [] })!.length).toBeLessThan(120);
  });
});
