/**
 * The resume state: everything needed to continue a run exactly, kept apart from the EMA-only weights that users
 * share. One packed buffer, the same bytes in IndexedDB (the page) and in a CLI run folder (`resume.zip`): an
 * uncompressed zip of two entries, written and read as one, so its halves can never come from different moments.
 * - `resume.json`: which run and where (runId, epoch, iteration, global step), the run's settings (imported Blobs left
 *   out), its fully resolved hyp (so a later change of the lab's defaults never changes a resume), and the trainer's
 *   progress (EMA updates, pending accumulation, running losses, best fitness, the epoch history, the seed). The data
 *   order and every augmentation draw depend only on (seed, epoch, position), so seed plus position is the RNG state.
 * - `resume.safetensors`: raw weights and BN buffers (`model/…`), the EMA twin (`ema/…`), SGD momentum buffers and
 *   any pending summed gradients (`optimizer/…`), in tfjs layout (only the lab reads it).
 *
 * Older states still load: the page's version-1 zip (its settings field held the runId) and the CLI's two loose files
 * resume.json + resume.safetensors (its settings field held the CLI's own settings).
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors';
import { NonFiniteStateError } from '../train/errors';
import type { Hyp } from '../train/hyp';
import type { Trainer, TrainerProgress } from '../train/trainer';
import type { RunSettings } from './settings';

/** The packed state's file name in a CLI run folder. */
export const RESUME_PACK_FILE = 'resume.zip';
/** The two entries of the pack, and the two loose files of the CLI's older layout. */
export const RESUME_JSON = 'resume.json';
export const RESUME_TENSORS = 'resume.safetensors';

const VERSION = 2;

/** resume.json of a pack. */
interface ResumeDocument {
  version: typeof VERSION;
  runId: string;
  epoch: number;
  iteration: number;
  globalStep: number;
  settings: RunSettings;
  hyp: Hyp;
  progress: TrainerProgress;
}

/** One state tensor as decoded bytes: no tf tensor exists until the run's backend is set (see stateTensors). */
export interface StateArray {
  data: Float32Array;
  shape: number[];
}

/** A decoded resume state, plain data: reading it needs no tfjs backend (the CLI reads it to learn which one). */
export interface ResumeState {
  /** null for the page's version-1 states, which named their run only in the store. */
  runId: string | null;
  /** The run's settings and resolved hyp; null in older states (the caller knows them from elsewhere). */
  settings: RunSettings | null;
  hyp: Hyp | null;
  /** What an older state kept in its settings field (the page: its runId; the CLI: its own settings). */
  legacySettings?: unknown;
  progress: TrainerProgress;
  arrays: Map<string, StateArray>;
}

export class ResumeStateError extends Error {
  override readonly name = 'ResumeStateError';
}

/** Settings as JSON can hold them: imported files are Blobs, which stay with the page's run record. */
function portableSettings(settings: RunSettings): RunSettings {
  if (settings.data.kind !== 'files') return settings;
  return { ...settings, data: { ...settings.data, files: [] } };
}

function countNonFinite(values: Float32Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/** Reads every state tensor back to the CPU (checkpoint time only, not per step) and packs it with its run. */
export async function packResumeState(run: { settings: RunSettings; hyp: Hyp; trainer: Trainer }): Promise<Uint8Array> {
  const { trainer } = run;
  const entries = trainer.stateTensors();
  const datas = await Promise.all(entries.map((e) => e.tensor.data()));
  const { epoch, iteration, globalStep } = trainer.progress;
  const record: Parameters<typeof encodeSafetensors>[0] = {};
  const nonFinite = { count: 0, tensors: [] as string[] };
  entries.forEach((e, i) => {
    if (e.tensor.dtype !== 'float32') throw new ResumeStateError(`resume state: ${e.name} is ${e.tensor.dtype}, expected float32`);
    const data = datas[i] as Float32Array;
    const bad = countNonFinite(data);
    if (bad > 0) {
      nonFinite.count += bad;
      if (nonFinite.tensors.length < 3) nonFinite.tensors.push(e.name);
    }
    record[e.name] = { dtype: 'F32', shape: [...e.tensor.shape], data };
  });
  // A state that cannot train on is never saved: the run's last good checkpoint stays its resume point.
  if (nonFinite.count > 0) throw new NonFiniteStateError(nonFinite.count, nonFinite.tensors, epoch, globalStep);
  const doc: ResumeDocument = {
    version: VERSION,
    runId: run.settings.runId,
    epoch,
    iteration,
    globalStep,
    settings: portableSettings(run.settings),
    hyp: run.hyp,
    progress: trainer.progress,
  };
  // JSON has no Infinity: a run that never validated has bestFitness −Infinity.
  const json = JSON.stringify(doc, (_k, v: unknown) => (v === -Infinity ? null : v), 1);
  return zipSync({ [RESUME_JSON]: strToU8(json), [RESUME_TENSORS]: encodeSafetensors(record) }, { level: 0 });
}

/** Unpacks a state written by packResumeState, or the page's older version-1 zip. */
export function unpackResumeState(bytes: Uint8Array, where = 'the resume state'): ResumeState {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new ResumeStateError(`${where} is not a resume state of this lab (not a zip: ${error instanceof Error ? error.message : String(error)})`);
  }
  const json = files[RESUME_JSON];
  const tensors = files[RESUME_TENSORS];
  if (!json || !tensors) throw new ResumeStateError(`${where} lacks ${!json ? RESUME_JSON : RESUME_TENSORS}`);
  return decodeResumeFiles(strFromU8(json), tensors, where);
}

/** Decodes resume.json + resume.safetensors: a pack's two entries, or the CLI's older two loose files. */
export function decodeResumeFiles(jsonText: string, tensorBytes: Uint8Array, where = 'the resume state'): ResumeState {
  /** Any version's resume.json, checked field by field below. */
  let doc: { version?: unknown; runId?: string; epoch?: number; globalStep?: number; settings?: unknown; hyp?: Hyp; progress?: TrainerProgress };
  try {
    doc = JSON.parse(jsonText) as typeof doc;
  } catch {
    throw new ResumeStateError(`${where}: ${RESUME_JSON} is not JSON`);
  }
  if ((doc.version !== 1 && doc.version !== VERSION) || typeof doc.progress !== 'object' || doc.progress === null) {
    throw new ResumeStateError(`${where}: ${RESUME_JSON} is not a resume state of this lab`);
  }
  const progress = doc.progress;
  progress.bestFitness ??= -Infinity;
  if (doc.version === VERSION && (doc.epoch !== progress.epoch || doc.globalStep !== progress.globalStep)) {
    throw new ResumeStateError(`${where}: ${RESUME_JSON} says epoch ${doc.epoch} step ${doc.globalStep} but its progress is at epoch ${progress.epoch} step ${progress.globalStep}`);
  }
  const state: ResumeState = {
    runId: doc.version === VERSION ? (doc.runId ?? null) : null,
    settings: doc.version === VERSION ? (doc.settings as RunSettings) : null,
    hyp: doc.version === VERSION ? (doc.hyp ?? null) : null,
    legacySettings: doc.version === 1 ? doc.settings : undefined,
    progress,
    arrays: decodeStateArrays(tensorBytes, where),
  };
  return state;
}

function decodeStateArrays(bytes: Uint8Array, where: string): Map<string, StateArray> {
  const out = new Map<string, StateArray>();
  for (const [name, entry] of Object.entries(decodeSafetensors(bytes))) {
    if (entry.dtype !== 'F32') throw new ResumeStateError(`${where}: ${name} has dtype ${entry.dtype}, expected F32`);
    out.set(name, { data: entry.data as Float32Array, shape: [...entry.shape] });
  }
  return out;
}

/** The state's tensors on the current backend, for Trainer.loadState; the caller disposes them. */
export function stateTensors(state: ResumeState): Map<string, tf.Tensor> {
  return new Map([...state.arrays].map(([name, a]) => [name, tf.tensor(a.data, a.shape, 'float32')]));
}
