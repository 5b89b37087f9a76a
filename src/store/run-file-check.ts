/**
 * The fields of an imported run file that the lab reads, checked before it stores them: a run file comes from
 * someone else's disk. JSON is not size-limited, but a bad field is reported by its file and path, e.g.
 * `history/steps.json: [3].globalStep must be a number, got "x"`, instead of failing later in a chart or a resume.
 */
import { showValue } from '../input/show-value';

type Kind = 'number' | 'string' | 'object';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasKind = (v: unknown, kind: Kind) => (kind === 'object' ? isObject(v) : kind === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string');

/** The first field of `value` (at `path`) that is not of its kind, as a message; undefined when all are. */
function badField(value: unknown, path: string, fields: Readonly<Record<string, Kind>>): string | undefined {
  if (!isObject(value)) return `${path || 'the file'} must be an object, got ${showValue(value, 40)}`;
  for (const [field, kind] of Object.entries(fields)) {
    const v = value[field];
    if (!hasKind(v, kind)) return `${path ? `${path}.` : ''}${field} must be ${kind === 'object' ? 'an object' : `a ${kind}`}, got ${v === undefined ? 'nothing' : showValue(v, 40)}`;
  }
  return undefined;
}

const RUN_FIELDS: Record<string, Kind> = { runId: 'string', settings: 'object', status: 'string' };
const STEP_FIELDS: Record<string, Kind> = { epoch: 'number', iteration: 'number', globalStep: 'number', values: 'object', time: 'number' };
const EPOCH_FIELDS: Record<string, Kind> = { record: 'object', time: 'number' };
const CHECKPOINT_FIELDS: Record<string, Kind> = { epoch: 'number', globalStep: 'number' };

/** The first problem of a run file's JSON parts, as `file: path problem`; undefined when they have what the lab reads. */
export function runFileProblem(parts: { run: unknown; steps: unknown; epochs: unknown; checkpoint?: unknown }): string | undefined {
  const run = badField(parts.run, 'run', RUN_FIELDS);
  if (run) return `run.json: ${run}`;
  for (const [file, rows, fields] of [
    ['history/steps.json', parts.steps, STEP_FIELDS],
    ['history/epochs.json', parts.epochs, EPOCH_FIELDS],
  ] as const) {
    if (!Array.isArray(rows)) return `${file}: must be a list of rows, got ${showValue(rows, 40)}`;
    for (let i = 0; i < rows.length; i++) {
      const bad = badField(rows[i], `[${i}]`, fields);
      if (bad) return `${file}: ${bad}`;
    }
  }
  if (parts.checkpoint !== undefined) {
    const bad = badField(parts.checkpoint, '', CHECKPOINT_FIELDS);
    if (bad) return `checkpoint.json: ${bad}`;
  }
  return undefined;
}
