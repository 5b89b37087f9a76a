/**
 * `lab train`: ScaledYOLOv4-style training from the command line. Argument parsing, the run folder and the progress
 * bar live here; the run itself is assembled and stepped by src/run, exactly as in the page's worker.
 * Writes runs/<name>/{hyp.yaml, opt.yaml, results.csv, last.safetensors, best.safetensors, resume.zip}.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { isScale } from '../../model/scale.js';
import { assembleRun, type ResumeChanges } from '../../run/assemble.js';
import type { EpochOutcome } from '../../run/engine.js';
import { formatDuration } from '../../run/format.js';
import type { ResumeState } from '../../run/resume-pack.js';
import { RUN_FILES, RunFiles, holdsRun, readResumeState } from '../../run/run-files.js';
import type { RunSettings } from '../../run/settings.js';
import { runSteps } from '../../run/step-loop.js';
import { describeBackend, parseBackendChoice, setBackend } from '../../runtime/backend.js';
import { NonFiniteLossError, NonFiniteStateError } from '../../train/errors.js';
import { parseHyp, type Hyp } from '../../train/hyp.js';
import { nodeSourceFor, readModelYaml, resolveDataPath } from '../node-inputs.js';
import { integerOption, seedOption } from '../options.js';
import { nodeImageDecoder } from '../node-files.js';
import { FolderSink } from '../node-sink.js';

export const description = 'train a model YAML on a dataset (progress bar, results.csv, best/last.safetensors, --resume)';

const USAGE = `usage: lab train --model <yaml|name> [--scale n|s|m|l] [--data vehicles|<path>] [--img N] [--batch N]
                 [--epochs N] [--hyp <yaml>] [--backend auto|webgpu|wasm|cpu] [--seed N] [--out runs/<name>]
                 [--noautoanchor]
       lab train --resume [--out runs/<name>] [--backend ...] [--data <path>]`;

/** What a caller other than the command line (a test) may pass in. */
export interface TrainCommandOptions {
  /** Aborting it stops the run after the step in progress, as Ctrl-C does. */
  stop?: AbortSignal;
}

/** runs/train, runs/train2, ... : the first that does not exist yet (train.py's increment_dir). */
function nextRunDir(base = 'runs/train'): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}${i}`)) return `${base}${i}`;
}

/** A run id that names its folder and its start, so states of two runs in one folder never pass for each other. */
function newRunId(out: string): string {
  return `${basename(out)}-${Date.now().toString(36)}`;
}

type Values = Record<string, string | boolean | undefined>;

async function settingsFromArgs(values: Values, out: string): Promise<{ settings: RunSettings; hypFile: string | null }> {
  if (typeof values.model !== 'string') throw new Error(`--model is required\n${USAGE}`);
  const scale = typeof values.scale === 'string' ? values.scale : undefined;
  if (scale !== undefined && !isScale(scale)) throw new Error(`--scale must be n, s, m or l, got '${scale}'`);
  const model = await readModelYaml(values.model);
  const hypFile = typeof values.hyp === 'string' ? values.hyp : null;
  const hypYaml = hypFile ? await readFile(hypFile, 'utf8') : '';
  const ignored = parseHyp(hypYaml).ignoredKeys;
  if (ignored.length) console.warn(`hyp: ignoring keys the lab does not use: ${ignored.join(', ')}`);
  const img = integerOption('img', values.img as string | undefined, 128, 32);
  if (img % 32 !== 0) throw new Error(`--img must be a multiple of the max stride 32, got ${img}`);
  const settings: RunSettings = {
    runId: newRunId(out),
    name: basename(out),
    modelYaml: model.text,
    modelName: basename(model.path),
    scale: scale ?? null,
    // Filled in from the data when the run is assembled.
    nc: 0,
    classNames: [],
    data: { kind: 'folder', path: resolveDataPath(typeof values.data === 'string' ? values.data : 'vehicles') },
    hypYaml,
    hypOverrides: {},
    img,
    batch: integerOption('batch', values.batch as string | undefined, 16, 1),
    epochs: integerOption('epochs', values.epochs as string | undefined, 100, 1),
    seed: seedOption(values.seed as string | undefined, 0),
    backend: parseBackendChoice(typeof values.backend === 'string' ? values.backend : 'auto'),
    autoAnchor: values.noautoanchor !== true,
  };
  return { settings, hypFile };
}

/** The settings of a run to resume: the state's own, or those of the older layout's resume.json. */
function settingsOfState(state: ResumeState, out: string): RunSettings {
  if (state.settings) return state.settings;
  const legacy = state.legacySettings as { modelYaml?: string; model?: string; scale?: RunSettings['scale']; data?: string; hyp?: Hyp } & Partial<RunSettings>;
  if (typeof legacy !== 'object' || legacy === null || typeof legacy.modelYaml !== 'string') {
    throw new Error(`${out}: the resume state does not say which model it trains; start a new run instead`);
  }
  // The older layout stored the resolved hyp beside its settings.
  if (legacy.hyp) state.hyp = legacy.hyp;
  return {
    runId: basename(out),
    name: basename(out),
    modelYaml: legacy.modelYaml,
    modelName: basename(legacy.model ?? 'model.yaml'),
    scale: legacy.scale ?? null,
    nc: 0,
    classNames: [],
    data: { kind: 'folder', path: resolveDataPath(legacy.data ?? 'vehicles') },
    hypYaml: '',
    hypOverrides: {},
    img: Number(legacy.img),
    batch: Number(legacy.batch),
    epochs: Number(legacy.epochs),
    seed: Number(legacy.seed),
    backend: parseBackendChoice(String(legacy.backend ?? 'auto')),
  };
}

function epochLine(e: EpochOutcome, elapsedMs: number): string {
  const r = e.record;
  const f = (v: number) => v.toFixed(4);
  return (
    `epoch ${r.epoch}: train box ${f(r['train/box_loss'])} obj ${f(r['train/obj_loss'])} cls ${f(r['train/cls_loss'])} | ` +
    `P ${f(r['metrics/precision'])} R ${f(r['metrics/recall'])} mAP@.5 ${f(r['metrics/mAP_0.5'])} ` +
    `mAP@.5:.95 ${f(r['metrics/mAP_0.5:0.95'])} | val box ${f(r['val/box_loss'])} obj ${f(r['val/obj_loss'])} ` +
    `cls ${f(r['val/cls_loss'])} | lr ${r['x/lr0'].toExponential(2)} ${r['x/lr1'].toExponential(2)} ` +
    `${r['x/lr2'].toExponential(2)}${e.best ? ' *best' : ''} | ${formatDuration(elapsedMs)}`
  );
}

export async function run(argv: string[], options: TrainCommandOptions = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      scale: { type: 'string' },
      data: { type: 'string' },
      img: { type: 'string' },
      batch: { type: 'string' },
      epochs: { type: 'string' },
      hyp: { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean', default: false },
      noautoanchor: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  let settings: RunSettings;
  let state: ResumeState | undefined;
  let hypFile: string | null = null;
  const changes: ResumeChanges = {};
  const out = values.out ?? (values.resume ? 'runs/train' : nextRunDir());
  const sink = new FolderSink(out);
  if (values.resume) {
    state = (await readResumeState(sink, out)) ?? undefined;
    if (!state) throw new Error(`--resume: no ${RUN_FILES.resume} (nor ${RUN_FILES.legacyResumeJson}) in ${out}`);
    settings = settingsOfState(state, out);
    if (values.backend) settings = { ...settings, backend: parseBackendChoice(values.backend) };
    if (values.data) settings = { ...settings, data: { kind: 'folder', path: resolveDataPath(values.data) } };
    // Continue with other hyperparameters (say a smaller lr0 after a diverged run): the file's keys over the run's own.
    if (typeof values.hyp === 'string') {
      hypFile = values.hyp;
      changes.hypYaml = await readFile(hypFile, 'utf8');
    }
  } else {
    if (await holdsRun(sink)) {
      throw new Error(`--out ${out} already holds a run: continue it with \`lab train --resume --out ${out}\`, or choose a new folder`);
    }
    ({ settings, hypFile } = await settingsFromArgs(values, out));
  }

  const backend = await setBackend(settings.backend);
  const run = await assembleRun(settings, { source: nodeSourceFor(settings.data), decoder: nodeImageDecoder, previewImages: 0 }, state, changes);
  for (const notice of run.notices) console.warn(notice);
  if (run.anchors) console.log(run.anchors.message);
  const files = new RunFiles(sink, run);
  const anchorLog = run.anchors && { bpr_before: run.anchors.before, bpr_after: run.anchors.after, changed: run.anchors.changed, anchors: run.anchors.anchors };
  if (!state) await files.writeStart({ model_path: values.model, hyp_file: hypFile, out, autoanchor: anchorLog ?? 'off' });
  else if (run.hypChange) await files.noteHypChange({ hyp_file: hypFile, changed: run.hypChange });

  const { trainer } = run;
  const p = trainer.progress;
  const nb = run.itersPerEpoch;
  const { scale, classNames } = run.settings;
  console.log(
    `train: ${settings.modelName}${scale ? ` scale ${scale}` : ''}, nc ${classNames.length} (${classNames.join(', ')}), ` +
      `${run.trainImages} train / ${run.valImages} val images at ${settings.img}px, batch ${settings.batch} ` +
      `(accumulate ${trainer.accumulate}), ${settings.epochs} epochs, warm-up ${trainer.schedule.warmupIters} iterations, ` +
      `backend ${describeBackend(backend)}, out ${out}` +
      (state ? `, resuming at epoch ${p.epoch} iteration ${p.iteration}` : ''),
  );

  const bars = new cliProgress.MultiBar(
    {
      format: 'epoch {epoch} |{bar}| {value}/{total} | ETA {eta_formatted} | {ips} img/s | box {box} obj {obj} cls {cls}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
      // Logs of background runs (no TTY) get the bar as a line every 30 s.
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const newBar = (value: number) =>
    bars.create(nb, value, { epoch: `${trainer.progress.epoch}/${settings.epochs - 1}`, ips: '-', box: '-', obj: '-', cls: '-' });
  let bar = newBar(p.iteration);
  let stopRequested = false;
  const requestStop = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    bars.log('stopping after this batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', requestStop);
  options.stop?.addEventListener('abort', requestStop, { once: true });
  const started = Date.now();

  try {
    const end = await runSteps(run, {
      proceed: async () => {
        // On wasm/cpu every await in a step resolves as a microtask, so without this yield the event loop would
        // never run the SIGINT handler (nor redraw the bar) until the run ends.
        await new Promise((resolve) => setImmediate(resolve));
        return !stopRequested && !options.stop?.aborted;
      },
      onStep: (s) => {
        bar.update(s.iteration + 1, {
          ips: s.imagesPerSec.toFixed(1),
          box: s.values['train/box_loss'].toFixed(4),
          obj: s.values['train/obj_loss'].toFixed(4),
          cls: s.values['train/cls_loss'].toFixed(4),
        });
      },
      onEpoch: async (outcome) => {
        await files.onEpoch(outcome);
        bars.log(`${epochLine(outcome, Date.now() - started)}\n`);
        bars.remove(bar);
        if (!trainer.done) bar = newBar(0);
      },
    });
    bars.stop();
    if (end === 'halted') {
      await files.writeResume();
      console.log(`stopped at epoch ${trainer.progress.epoch} iteration ${trainer.progress.iteration}; continue with: lab train --resume --out ${out}`);
      return 130;
    }
    const best = Math.max(...trainer.progress.history.map((r) => r['metrics/mAP_0.5']));
    console.log(`done: ${settings.epochs} epochs in ${formatDuration(Date.now() - started)}, best mAP@0.5 ${best.toFixed(4)}; results in ${join(out, RUN_FILES.results)}`);
    return 0;
  } catch (err) {
    bars.stop();
    if (err instanceof NonFiniteLossError || err instanceof NonFiniteStateError) {
      const saved = files.lastSaved;
      const where = saved ? `the last good checkpoint (epoch ${saved.epoch}, step ${saved.globalStep}) is ${join(out, RUN_FILES.resume)}` : 'no checkpoint was saved';
      console.error(`train: ${err.message}. The run is stopped; ${where}. Continue it with other settings: lab train --resume --out ${out} --hyp <file with, e.g., a smaller lr0>`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', requestStop);
    options.stop?.removeEventListener('abort', requestStop);
    run.dispose();
  }
}
