/**
 * A run's files, as train.py leaves them in runs/<name>/, written through a RunSink (any store, not only a folder):
 * model.yaml (the YAML it trains, anchors included), hyp.yaml and opt.yaml at the start; per epoch results.csv, last.safetensors, best.safetensors (on a better fitness
 * = 0.1·mAP@0.5 + 0.9·mAP@0.5:0.95) and resume.zip, the packed resume state the page stores too (resume-pack.ts).
 * The .safetensors weights are the EMA model's, under the model's PyTorch state_dict names only, as ScaledYOLOv4 saves
 * `ema.ema` in its checkpoints.
 */
import { dump } from 'js-yaml';
import { loadBoundedYaml } from '../input/bounded-yaml';
import { hypToYaml } from '../train/hyp';
import { resultsCsv } from '../train/results-csv';
import type { EpochOutcome } from './engine';
import { RESUME_JSON, RESUME_PACK_FILE, RESUME_TENSORS, decodeResumeFiles, unpackResumeState, type ResumeState } from './resume-pack';
import type { Run } from './run';
import { readText, type RunSink } from './sink';

export const RUN_FILES = {
  /** The model YAML the run trains, with the anchors AutoAnchor chose. */
  model: 'model.yaml',
  hyp: 'hyp.yaml',
  opt: 'opt.yaml',
  results: 'results.csv',
  last: 'last.safetensors',
  best: 'best.safetensors',
  resume: RESUME_PACK_FILE,
  /** The older layout's two resume files, still read. */
  legacyResumeJson: RESUME_JSON,
  legacyResumeTensors: RESUME_TENSORS,
} as const;

/** Where the run's resume state was last saved. */
export interface SavedPosition {
  epoch: number;
  globalStep: number;
}

export class RunFiles {
  /** The resume state on disk: the run's last good checkpoint (every saved state is finite). */
  lastSaved: SavedPosition | null;

  constructor(
    private readonly sink: RunSink,
    private readonly run: Run,
  ) {
    // A resumed run starts from a saved state.
    const { epoch, globalStep } = run.position();
    this.lastSaved = globalStep > 0 || epoch > 0 ? { epoch, globalStep } : null;
  }

  /**
   * hyp.yaml (every key), opt.yaml (the run's settings, `extra` such as the hyp file's name, and what train.py
   * derives), and the starting state, so that even a run that fails in its first epoch leaves a good checkpoint.
   */
  async writeStart(extra: Record<string, unknown> = {}): Promise<void> {
    await this.sink.writeText(RUN_FILES.model, this.run.settings.modelYaml);
    await this.sink.writeText(RUN_FILES.hyp, hypToYaml(this.run.hyp));
    await this.sink.writeText(RUN_FILES.opt, dump({ ...this.run.settings, ...extra, ...this.derived() }));
    await this.writeResume();
  }

  /** A resumed run that continues with other hyperparameters: the new hyp.yaml, and the change logged in opt.yaml. */
  async noteHypChange(change: Record<string, unknown>): Promise<void> {
    const opt = (loadBoundedYaml((await readText(this.sink, RUN_FILES.opt)) ?? '') ?? {}) as Record<string, unknown>;
    const changes = Array.isArray(opt.hyp_changes) ? opt.hyp_changes : [];
    const { epoch, globalStep } = this.run.position();
    opt.hyp_changes = [...changes, { epoch, step: globalStep, ...change }];
    await this.sink.writeText(RUN_FILES.hyp, hypToYaml(this.run.hyp));
    await this.sink.writeText(RUN_FILES.opt, dump({ ...opt, ...this.derived() }));
  }

  /** The packed resume state: at the start, at each epoch end and whenever a run stops early. */
  async writeResume(): Promise<void> {
    const { state } = await this.run.snapshot();
    await this.sink.writeBytes(RUN_FILES.resume, new Uint8Array(state));
    this.markSaved();
  }

  async onEpoch(outcome: EpochOutcome): Promise<void> {
    // The snapshot refuses a non-finite state before anything of this epoch is written.
    const { weights, state } = await this.run.snapshot();
    await this.sink.writeText(RUN_FILES.results, resultsCsv(this.run.trainer.progress.history));
    await this.sink.writeBytes(RUN_FILES.last, new Uint8Array(weights));
    if (outcome.best) await this.sink.writeBytes(RUN_FILES.best, new Uint8Array(weights));
    await this.sink.writeBytes(RUN_FILES.resume, new Uint8Array(state));
    this.markSaved();
  }

  private derived(): Record<string, number> {
    const { trainer } = this.run;
    return { accumulate: trainer.accumulate, weight_decay_scaled: trainer.weightDecay, warmup_iters: trainer.schedule.warmupIters };
  }

  private markSaved(): void {
    const { epoch, globalStep } = this.run.position();
    this.lastSaved = { epoch, globalStep };
  }
}

/** True when the sink already holds a run's files (results, weights or a resume state). */
export async function holdsRun(sink: RunSink): Promise<boolean> {
  const names = [RUN_FILES.results, RUN_FILES.last, RUN_FILES.best, RUN_FILES.resume, RUN_FILES.legacyResumeJson];
  for (const name of names) if ((await sink.readBytes(name)) !== null) return true;
  return false;
}

/** The run's resume state: resume.zip, or the older resume.json + resume.safetensors; null when there is none. */
export async function readResumeState(sink: RunSink, where: string): Promise<ResumeState | null> {
  const packed = await sink.readBytes(RUN_FILES.resume);
  if (packed) return unpackResumeState(packed, `${where}/${RUN_FILES.resume}`);
  const json = await readText(sink, RUN_FILES.legacyResumeJson);
  if (json === null) return null;
  const tensors = await sink.readBytes(RUN_FILES.legacyResumeTensors);
  if (!tensors) throw new Error(`${where} has ${RUN_FILES.legacyResumeJson} but not ${RUN_FILES.legacyResumeTensors}`);
  return decodeResumeFiles(json, tensors, where);
}
