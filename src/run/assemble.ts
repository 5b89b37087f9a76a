/**
 * The one place a training run is put together, for the page's worker and for `lab train` alike. From the run's
 * settings, its files and an optional resume state it reads the data (reporting its problems before any split
 * decision), picks the splits, resolves the hyp, builds the model and its EMA twin, the batch loaders and the trainer,
 * and restores the resume state. The backend must already be selected.
 */
import * as tf from '@tensorflow/tfjs';
import { createBatchLoader } from '../data/batches';
import { createImageProvider } from '../data/image-provider';
import { loadDataset } from '../data/load-dataset';
import { dataProblemsText } from '../data/problems-text';
import type { Dataset, FileSource, ImageDecoder } from '../data/types';
import { buildModel } from '../model/model';
import { summarizeModelYaml } from '../model/summary';
import { parseModelYaml } from '../model/plan/parse';
import { withAnchors } from '../model/plan/anchors-yaml';
import { autoAnchor, labelSizes, type AutoAnchorResult } from '../train/anchors/autoanchor';
import { augmentHypOf, hypToYaml, parseHyp, type Hyp } from '../train/hyp';
import { Trainer } from '../train/trainer';
import { describeHypChange, hypChange, resolveHyp } from './hyp';
import { stateTensors, unpackResumeState, type ResumeState } from './resume-pack';
import { Run } from './run';
import type { RunSettings } from './settings';
import { pickTrainSplits } from './splits';

/** What a resumed run may change. */
export interface ResumeChanges {
  /** A hyp YAML over the run's own hyp (a diverged run continues with, say, a smaller lr0). */
  hypYaml?: string;
}

export interface RunInputs {
  /** The files of `settings.data` (fetch and Blobs in the worker, the file system in Node). */
  source: FileSource;
  decoder: ImageDecoder;
  /** Val images sent to the viewer after each epoch; default 8, 0 for none (the CLI). */
  previewImages?: number;
}

/** Runs `pick`; when it fails, its message carries the data's problems, which are usually the cause. */
function withProblems<T>(pick: () => T, problems: readonly string[]): T {
  try {
    return pick();
  } catch (error) {
    if (problems.length === 0) throw error;
    throw new Error(`${error instanceof Error ? error.message : String(error)}. ${problems.join('\n')}`);
  }
}

/** The settings' class names, or the data's when the settings leave them empty; they must agree in number. */
function classNamesFor(settings: RunSettings, dataset: Dataset): string[] {
  if (settings.classNames.length === 0) return [...dataset.names];
  if (settings.classNames.length !== dataset.names.length) {
    throw new Error(
      `the run is set up for ${settings.classNames.length} classes (${settings.classNames.join(', ')}) ` +
        `but the data names ${dataset.names.length} (${dataset.names.join(', ')})`,
    );
  }
  return settings.classNames;
}

/** `resume`: a decoded state, or the packed bytes as stored (IndexedDB, resume.zip). */
/** AutoAnchor on the train split's labels at the run's image size, for the model the settings build. */
function anchorsFor(modelYaml: string, settings: RunSettings, hyp: Hyp, images: Parameters<typeof labelSizes>[0]): AutoAnchorResult {
  const { detect } = parseModelYaml(modelYaml, { nc: settings.nc, scale: settings.scale ?? undefined });
  const sizes = labelSizes(images, settings.img, settings.seed);
  return autoAnchor({ sizes, anchors: detect.anchors, strides: detect.strides, anchorT: hyp.anchor_t, seed: settings.seed });
}

export async function assembleRun(
  settings: RunSettings,
  inputs: RunInputs,
  packed?: ResumeState | ArrayBuffer | Uint8Array,
  changes: ResumeChanges = {},
): Promise<Run> {
  const resume = packed instanceof ArrayBuffer || packed instanceof Uint8Array ? unpackResumeState(new Uint8Array(packed)) : packed;
  if (resume?.runId && resume.runId !== settings.runId) {
    throw new Error(`the resume state belongs to run '${resume.runId}', not to '${settings.runId}'`);
  }
  const storedHyp = resume?.hyp ?? resolveHyp(settings);
  const hyp = changes.hypYaml === undefined ? storedHyp : parseHyp(changes.hypYaml, storedHyp).hyp;
  const changedHyp = changes.hypYaml === undefined ? undefined : hypChange(storedHyp, hyp);

  // A served folder lists only what its manifest names, so it is YOLO by construction; files and folders are detected.
  const format = settings.data.kind === 'url' ? 'yolo' : settings.data.kind === 'files' ? settings.data.format : undefined;
  const classes = settings.data.kind === 'files' ? settings.data.classes : undefined;
  const dataset = await loadDataset(inputs.source, { format, classes });
  // The data's problems come first: they are often why a split is missing (a COCO file that could not be read).
  const problems = dataProblemsText(dataset);
  const notices = problems ? [problems] : [];
  const splits = withProblems(() => pickTrainSplits(dataset), notices);
  notices.push(...splits.notices);
  const classNames = classNamesFor(settings, dataset);
  const nc = classNames.length;
  // A resumed run keeps the model YAML it trained with (its anchors included); a new one may get new anchors.
  let modelYaml = resume?.settings?.modelYaml ?? settings.modelYaml;
  let anchors: AutoAnchorResult | undefined;
  if (!resume && settings.autoAnchor !== false) {
    anchors = anchorsFor(modelYaml, { ...settings, nc }, hyp, dataset.splits[splits.train]);
    if (anchors.changed) modelYaml = withAnchors(modelYaml, anchors.anchors);
  }
  // Everything the run needs to be rebuilt as it trains: the data's classes, the anchors, the hyp in full.
  const resolved: RunSettings = { ...settings, nc, classNames, modelYaml, hypYaml: hypToYaml(hyp), hypOverrides: {} };

  const buildOptions = { nc: resolved.nc, scale: resolved.scale ?? undefined, seed: resolved.seed };
  const summary = summarizeModelYaml(resolved.modelYaml, buildOptions);
  const images = createImageProvider(inputs.source, inputs.decoder);
  const common = { dataset, images, img: resolved.img, batch: resolved.batch, seed: resolved.seed };
  const train = createBatchLoader({ ...common, split: splits.train, augment: true, hyp: augmentHypOf(hyp), shuffle: true });
  const val = createBatchLoader({ ...common, split: splits.val, augment: false, shuffle: false });

  // Same YAML, scale and seed: the EMA twin starts identical (ModelEma copies the weights anyway).
  const model = buildModel(resolved.modelYaml, buildOptions);
  const emaModel = buildModel(resolved.modelYaml, buildOptions);
  const trainer = new Trainer({ model, emaModel, train, val, hyp, epochs: resolved.epochs, batch: resolved.batch, seed: resolved.seed });
  const tensors = resume && stateTensors(resume);
  try {
    if (resume && tensors) trainer.loadState(resume.progress, tensors);
  } catch (error) {
    trainer.dispose();
    model.dispose();
    emaModel.dispose();
    throw error;
  } finally {
    // The trainer copied what it needed into its own variables.
    if (tensors) tf.dispose([...tensors.values()]);
  }
  if (changedHyp) notices.push(`continuing with other hyperparameters: ${describeHypChange(changedHyp)}`);
  return new Run({ settings: resolved, hyp, trainer, summary, train, val, previewImages: inputs.previewImages ?? 8, notices, anchors, hypChange: changedHyp });
}
