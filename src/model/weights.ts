/**
 * Weights in and out as safetensors with PyTorch state_dict names and layouts (conv weights OIHW), so a state_dict of
 * the seed's PyTorch model loads unchanged and our files load back into PyTorch with strict=True.
 */
import * as tf from '@tensorflow/tfjs';
import { YoloModel } from './model';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';
import type { DetectionModel } from './types';

/** tfjs HWIO ↔ PyTorch OIHW. Only conv weights are rank 4. */
const HWIO_TO_OIHW = [3, 2, 0, 1];
const OIHW_TO_HWIO = [2, 3, 1, 0];

interface StateEntry {
  name: string;
  variable: tf.Variable;
}

function stateEntries(model: DetectionModel): StateEntry[] {
  return [...model.parameters(), ...model.buffers()];
}

/** Detect's buffers: `anchors` in grid units [nl, na, 2] and `anchor_grid` in pixels [nl, 1, na, 1, 1, 2]. */
function anchorBuffers(model: YoloModel): Record<string, SafeTensor> {
  const detectIndex = model.plan.layers.length - 1;
  const nl = model.anchors.length;
  const na = model.anchors[0].length;
  const grid = new Float32Array(nl * na * 2);
  const pixels = new Float32Array(nl * na * 2);
  model.anchors.forEach((level, l) =>
    level.forEach(([w, h], a) => {
      const at = (l * na + a) * 2;
      pixels.set([w, h], at);
      grid.set([w / model.strides[l], h / model.strides[l]], at);
    }),
  );
  return {
    [`model.${detectIndex}.anchors`]: { dtype: 'F32', shape: [nl, na, 2], data: grid },
    [`model.${detectIndex}.anchor_grid`]: { dtype: 'F32', shape: [nl, 1, na, 1, 1, 2], data: pixels },
  };
}

function batchCounters(model: YoloModel): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const { prefix, bn } of model.batchNorms()) {
    out[`${prefix}.num_batches_tracked`] = { dtype: 'I64', shape: [], data: new BigInt64Array([BigInt(bn.batchesTracked)]) };
  }
  return out;
}

/** The model's full state_dict as safetensors bytes. */
export async function saveSafetensors(model: DetectionModel): Promise<Uint8Array> {
  const tensors: Record<string, SafeTensor> = {};
  for (const { name, variable } of stateEntries(model)) {
    const torchLayout = variable.rank === 4 ? tf.transpose(variable, HWIO_TO_OIHW) : variable;
    const data = (await torchLayout.data()) as Float32Array;
    if (torchLayout !== variable) torchLayout.dispose();
    tensors[name] = { dtype: 'F32', shape: torchLayout.shape, data };
  }
  if (model instanceof YoloModel) Object.assign(tensors, anchorBuffers(model), batchCounters(model));
  return encodeSafetensors(tensors);
}

export class WeightsError extends Error {
  constructor(readonly problems: string[]) {
    super(`weights do not match the model:\n  ${problems.slice(0, 12).join('\n  ')}${problems.length > 12 ? `\n  ... and ${problems.length - 12} more` : ''}`);
    this.name = 'WeightsError';
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** True when the file's anchor buffer holds other values than the model's (same shape). */
function checkAnchors(name: string, file: SafeTensor, expected: SafeTensor, problems: string[]): boolean {
  if (!sameShape(file.shape, expected.shape)) {
    problems.push(`${name}: shape ${JSON.stringify(file.shape)} in the file, the YAML gives ${JSON.stringify(expected.shape)}`);
    return false;
  }
  const got = file.data as Float32Array;
  const want = expected.data as Float32Array;
  if (got.length > 0 && !Array.from(got).every(Number.isFinite)) {
    problems.push(`${name}: holds values that are not finite`);
    return false;
  }
  return Array.from(got).some((v, i) => Math.abs(v - want[i]) > 1e-3 * Math.max(1, Math.abs(want[i])));
}

/** The anchors (pixels, per level) a file carries: anchor_grid is in pixels, `anchors` in grid units. */
function fileAnchors(model: YoloModel, file: Record<string, SafeTensor>): [number, number][][] {
  const detectIndex = model.plan.layers.length - 1;
  const pixels = file[`model.${detectIndex}.anchor_grid`]?.data as Float32Array | undefined;
  const grid = file[`model.${detectIndex}.anchors`]?.data as Float32Array;
  const na = model.anchors[0].length;
  return model.anchors.map((level, l) =>
    level.map((_, a) => {
      const at = (l * na + a) * 2;
      if (pixels) return [pixels[at], pixels[at + 1]];
      return [grid[at] * model.strides[l], grid[at + 1] * model.strides[l]];
    }),
  );
}

/** What a load did that the user should know of. */
export interface LoadReport {
  notices: string[];
}

/**
 * Strict load: every tensor the model has must be in the file with the same shape (F32), and the file may hold
 * nothing else except Detect's anchors/anchor_grid and BN num_batches_tracked. Anchors that differ from the YAML's
 * (a run whose AutoAnchor found better ones) are taken from the file, with a notice. Throws WeightsError naming each
 * offending tensor; assigns nothing unless everything matches.
 */
export function loadSafetensors(model: DetectionModel, bytes: Uint8Array): LoadReport {
  const file = decodeSafetensors(bytes);
  const problems: string[] = [];
  const extras: Record<string, SafeTensor> =
    model instanceof YoloModel ? { ...anchorBuffers(model), ...batchCounters(model) } : {};
  const pending: { variable: tf.Variable; tensor: SafeTensor }[] = [];

  for (const { name, variable } of stateEntries(model)) {
    const tensor = file[name];
    const torchShape = variable.rank === 4 ? HWIO_TO_OIHW.map((axis) => variable.shape[axis]) : variable.shape;
    if (tensor === undefined) problems.push(`${name}: missing from the file (expected F32 ${JSON.stringify(torchShape)})`);
    else if (tensor.dtype !== 'F32') problems.push(`${name}: dtype ${tensor.dtype}, expected F32`);
    else if (!sameShape(tensor.shape, torchShape)) {
      problems.push(`${name}: shape ${JSON.stringify(tensor.shape)} in the file, the model has ${JSON.stringify(torchShape)}`);
    } else pending.push({ variable, tensor });
  }
  const known = new Set(stateEntries(model).map((e) => e.name));
  let otherAnchors = false;
  for (const [name, tensor] of Object.entries(file)) {
    if (known.has(name)) continue;
    const extra = extras[name];
    if (extra === undefined) problems.push(`${name}: unexpected tensor (the model has no such parameter or buffer)`);
    else if (name.endsWith('.anchors') || name.endsWith('.anchor_grid')) otherAnchors = checkAnchors(name, tensor, extra, problems) || otherAnchors;
  }
  if (problems.length > 0) throw new WeightsError(problems);
  const notices: string[] = [];
  if (otherAnchors && model instanceof YoloModel) {
    const anchors = fileAnchors(model, file);
    const show = (levels: readonly (readonly (readonly [number, number])[])[]) => levels.map((l) => l.map(([w, h]) => `${+w.toFixed(1)},${+h.toFixed(1)}`).join(' ')).join(' | ');
    notices.push(`the weights carry other anchors than the YAML (${show(model.anchors)}): using the file's (${show(anchors)})`);
    model.setAnchors(anchors);
  }

  tf.tidy(() => {
    for (const { variable, tensor } of pending) {
      const value = tf.tensor(tensor.data as Float32Array, tensor.shape, 'float32');
      variable.assign(variable.rank === 4 ? tf.transpose(value, OIHW_TO_HWIO) : value);
    }
  });
  if (model instanceof YoloModel) {
    for (const { prefix, bn } of model.batchNorms()) {
      const counter = file[`${prefix}.num_batches_tracked`];
      if (counter?.data instanceof BigInt64Array) bn.batchesTracked = Number(counter.data[0]);
    }
  }
  return { notices };
}
