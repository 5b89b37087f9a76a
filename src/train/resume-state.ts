/**
 * The resume state: everything `--resume` needs to continue a run exactly, kept apart from the EMA-only
 * best/last.safetensors that users share. Two files:
 * - `resume.json`: the run's settings (so --resume needs no other flags), the trainer's progress (epoch, iteration,
 *   global step, EMA updates, pending accumulation, running losses, best fitness, the epoch history) and the RNG seed.
 *   The data order and every augmentation draw depend only on (seed, epoch, position), so the seed plus the position
 *   is the whole RNG state.
 * - `resume.safetensors`: raw weights and BN buffers (`model/…`), the EMA twin (`ema/…`), SGD momentum buffers and any
 *   pending summed gradients (`optimizer/…`), in tfjs layout (no PyTorch conversion: only the lab reads this file).
 */
import * as tf from '@tensorflow/tfjs';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors';
import type { TrainerProgress, Trainer } from './trainer';

export const RESUME_JSON = 'resume.json';
export const RESUME_TENSORS = 'resume.safetensors';

export interface ResumeDocument<Settings> {
  version: 1;
  settings: Settings;
  progress: TrainerProgress;
}

/** Reads every state tensor back to the CPU (checkpoint time only, not per step) and encodes it. */
export async function encodeResumeTensors(trainer: Trainer): Promise<Uint8Array> {
  const entries = trainer.stateTensors();
  const datas = await Promise.all(entries.map((e) => e.tensor.data()));
  const record: Parameters<typeof encodeSafetensors>[0] = {};
  entries.forEach((e, i) => {
    if (e.tensor.dtype !== 'float32') throw new Error(`resume state: ${e.name} is ${e.tensor.dtype}, expected float32`);
    record[e.name] = { dtype: 'F32', shape: [...e.tensor.shape], data: datas[i] as Float32Array };
  });
  return encodeSafetensors(record);
}

export function encodeResumeJson<Settings>(settings: Settings, trainer: Trainer): string {
  const doc: ResumeDocument<Settings> = { version: 1, settings, progress: trainer.progress };
  // JSON has no Infinity: a run that never validated has bestFitness −Infinity.
  return JSON.stringify(doc, (_k, v: unknown) => (v === -Infinity ? null : v), 1);
}

export function decodeResumeJson<Settings>(text: string): ResumeDocument<Settings> {
  const doc = JSON.parse(text) as ResumeDocument<Settings>;
  if (doc.version !== 1 || !doc.progress) throw new Error('resume.json: not a resume state of this lab');
  doc.progress.bestFitness ??= -Infinity;
  return doc;
}

/** The state tensors by name; the caller disposes them after Trainer.loadState. */
export function decodeResumeTensors(bytes: Uint8Array): Map<string, tf.Tensor> {
  const decoded = decodeSafetensors(bytes);
  const out = new Map<string, tf.Tensor>();
  for (const [name, entry] of Object.entries(decoded)) {
    if (entry.dtype !== 'F32') throw new Error(`resume state: ${name} has dtype ${entry.dtype}, expected F32`);
    out.set(name, tf.tensor(entry.data as Float32Array, entry.shape, 'float32'));
  }
  return out;
}
