/**
 * `lab train`: ScaledYOLOv4-style training from the command line, on the same core as the browser worker.
 * Writes runs/<name>/{hyp.yaml, opt.yaml, results.csv, last.safetensors, best.safetensors, resume.*}.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { buildModel } from '../../model/index.js';
import { isScale, type Scale } from '../../model/scale.js';
import { describeBackend, parseBackendChoice, setBackend } from '../../runtime/backend.js';
import { formatDuration } from '../../run/format.js';
import { NonFiniteLossError } from '../../train/errors.js';
import { DEFAULT_HYP, augmentHypOf, parseHyp, type Hyp } from '../../train/hyp.js';
import { FolderSink } from '../node-sink.js';
import { loadNodeDataset, makeLoaders, readModelYaml } from '../node-inputs.js';
import { decodeResumeJson, decodeResumeTensors } from '../../train/resume-state.js';
import { RUN_FILES, RunFiles } from '../../train/run-files.js';
import { readText } from '../../train/sink.js';
import { Trainer, type EpochEvent, type StepEvent } from '../../train/trainer.js';

export const description = 'train a model YAML on a dataset (progress bar, results.csv, best/last.safetensors, --resume)';

const USAGE = `usage: lab train --model <yaml|name> [--scale n|s|m|l] [--data vehicles|<path>] [--img N] [--batch N]
                 [--epochs N] [--hyp <yaml>] [--backend auto|webgpu|wasm|cpu] [--seed N] [--out runs/<name>]
       lab train --resume [--out runs/<name>] [--backend ...]`;

/** What opt.yaml and resume.json record; --resume reads it back, so a resumed run needs no other flags. */
export interface TrainSettings {
  model: string;
  modelYaml: string;
  scale: Scale | null;
  data: string;
  img: number;
  batch: number;
  epochs: number;
  hypFile: string | null;
  hyp: Hyp;
  seed: number;
  out: string;
  backend: string;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

/** runs/train, runs/train2, ... : the first that does not exist yet (train.py's increment_dir). */
function nextRunDir(base = 'runs/train'): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}${i}`)) return `${base}${i}`;
}

async function settingsFromArgs(values: Record<string, string | boolean | undefined>): Promise<TrainSettings> {
  if (typeof values.model !== 'string') throw new Error(`--model is required\n${USAGE}`);
  const scale = typeof values.scale === 'string' ? values.scale : undefined;
  if (scale !== undefined && !isScale(scale)) throw new Error(`--scale must be n, s, m or l, got '${scale}'`);
  const model = await readModelYaml(values.model);
  const hypFile = typeof values.hyp === 'string' ? values.hyp : null;
  let hyp: Hyp = { ...DEFAULT_HYP };
  if (hypFile) {
    const parsed = parseHyp(await readFile(hypFile, 'utf8'));
    if (parsed.ignoredKeys.length) console.warn(`hyp: ignoring keys the lab does not use: ${parsed.ignoredKeys.join(', ')}`);
    hyp = parsed.hyp;
  }
  const img = positiveInt('img', values.img as string | undefined, 128);
  if (img % 32 !== 0) throw new Error(`--img must be a multiple of the max stride 32, got ${img}`);
  return {
    model: model.path,
    modelYaml: model.text,
    scale: scale ?? null,
    data: typeof values.data === 'string' ? values.data : 'vehicles',
    img,
    batch: positiveInt('batch', values.batch as string | undefined, 16),
    epochs: positiveInt('epochs', values.epochs as string | undefined, 100),
    hypFile,
    hyp,
    seed: Number(values.seed ?? 0),
    out: typeof values.out === 'string' ? values.out : nextRunDir(),
    backend: typeof values.backend === 'string' ? values.backend : 'auto',
  };
}

function epochLine(e: EpochEvent, elapsedMs: number): string {
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

export async function run(argv: string[]): Promise<number> {
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  let settings: TrainSettings;
  let resumeDoc: ReturnType<typeof decodeResumeJson<TrainSettings>> | null = null;
  if (values.resume) {
    const out = values.out ?? 'runs/train';
    const sink = new FolderSink(out);
    const text = await readText(sink, RUN_FILES.resumeJson);
    if (!text) throw new Error(`--resume: no ${RUN_FILES.resumeJson} in ${out}`);
    resumeDoc = decodeResumeJson<TrainSettings>(text);
    settings = { ...resumeDoc.settings, out, backend: values.backend ?? resumeDoc.settings.backend };
  } else {
    settings = await settingsFromArgs(values);
  }

  const backend = await setBackend(parseBackendChoice(settings.backend));
  const data = await loadNodeDataset(settings.data);
  const nc = data.dataset.names.length;
  const build = () => buildModel(settings.modelYaml, { nc, scale: settings.scale ?? undefined, seed: settings.seed });
  const model = build();
  const emaModel = build();
  const loaders = makeLoaders(data, { img: settings.img, batch: settings.batch, seed: settings.seed, hyp: augmentHypOf(settings.hyp) });
  const trainer = new Trainer({
    model,
    emaModel,
    train: loaders.train,
    val: loaders.val,
    hyp: settings.hyp,
    epochs: settings.epochs,
    batch: settings.batch,
    seed: settings.seed,
  });
  const sink = new FolderSink(settings.out);
  const files = new RunFiles(sink, trainer, settings);
  if (resumeDoc) {
    const bytes = await sink.readBytes(RUN_FILES.resumeTensors);
    if (!bytes) throw new Error(`--resume: no ${RUN_FILES.resumeTensors} in ${settings.out}`);
    const tensors = decodeResumeTensors(bytes);
    trainer.loadState(resumeDoc.progress, tensors);
    for (const t of tensors.values()) t.dispose();
  } else {
    await files.writeStart(settings.hyp);
  }

  const p = trainer.progress;
  const nb = loaders.train.batchesPerEpoch;
  console.log(
    `train: ${settings.model}${settings.scale ? ` scale ${settings.scale}` : ''}, nc ${nc} (${data.dataset.names.join(', ')}), ` +
      `${loaders.train.size} train / ${loaders.val.size} val images at ${settings.img}px, batch ${settings.batch} ` +
      `(accumulate ${trainer.accumulate}), ${settings.epochs} epochs, warm-up ${trainer.schedule.warmupIters} iterations, ` +
      `backend ${describeBackend(backend)}, out ${settings.out}` +
      (resumeDoc ? `, resuming at epoch ${p.epoch} iteration ${p.iteration}` : ''),
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
  let bar = bars.create(nb, p.iteration, { epoch: `${p.epoch}/${settings.epochs - 1}`, ips: '-', box: '-', obj: '-', cls: '-' });
  let stopRequested = false;
  const onSigint = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    bars.log('stopping after this batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();

  try {
    const finished = await trainer.run(
      async (event) => {
        if (event.type === 'step') {
          // On wasm/cpu every await in a step resolves as a microtask, so without this yield the event loop would
          // never run the SIGINT handler (nor redraw the bar) until the run ends.
          await new Promise((resolve) => setImmediate(resolve));
          const s: StepEvent = event;
          bar.update(s.iteration + 1, {
            ips: s.imagesPerSec.toFixed(1),
            box: s.values['train/box_loss'].toFixed(4),
            obj: s.values['train/obj_loss'].toFixed(4),
            cls: s.values['train/cls_loss'].toFixed(4),
          });
          return;
        }
        await files.onEpoch(event);
        bars.log(`${epochLine(event, Date.now() - started)}\n`);
        bars.remove(bar);
        if (!trainer.done) bar = bars.create(nb, 0, { epoch: `${trainer.progress.epoch}/${settings.epochs - 1}`, ips: '-', box: '-', obj: '-', cls: '-' });
      },
      () => stopRequested,
    );
    bars.stop();
    if (!finished) {
      await files.writeResume();
      console.log(`stopped at epoch ${trainer.progress.epoch} iteration ${trainer.progress.iteration}; continue with: lab train --resume --out ${settings.out}`);
      return 130;
    }
    const best = Math.max(...trainer.progress.history.map((r) => r['metrics/mAP_0.5']));
    console.log(`done: ${settings.epochs} epochs in ${formatDuration(Date.now() - started)}, best mAP@0.5 ${best.toFixed(4)}; results in ${join(settings.out, RUN_FILES.results)}`);
    return 0;
  } catch (err) {
    bars.stop();
    if (err instanceof NonFiniteLossError) {
      console.error(`train: ${err.message}; the last epoch checkpoint is in ${settings.out}`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    trainer.dispose();
    model.dispose();
    emaModel.dispose();
  }
}
