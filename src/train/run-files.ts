/**
 * A run's files, as train.py leaves them in runs/<name>/, written through a RunSink (any store, not only a folder):
 * hyp.yaml and opt.yaml at the start; per epoch results.csv, last.safetensors, best.safetensors (on a better fitness
 * = 0.1·mAP@0.5 + 0.9·mAP@0.5:0.95) and the resume state. The .safetensors weights are the EMA model's, under the
 * model's PyTorch state_dict names only (saveSafetensors), as ScaledYOLOv4 saves `ema.ema` in its checkpoints.
 */
import { dump } from 'js-yaml';
import { saveSafetensors } from '../model/weights';
import { hypToYaml, type Hyp } from './hyp';
import { RESUME_JSON, RESUME_TENSORS, encodeResumeJson, encodeResumeTensors } from './resume-state';
import { resultsCsv } from './results-csv';
import type { RunSink } from './sink';
import type { EpochEvent, Trainer } from './trainer';

export const RUN_FILES = {
  hyp: 'hyp.yaml',
  opt: 'opt.yaml',
  results: 'results.csv',
  last: 'last.safetensors',
  best: 'best.safetensors',
  resumeJson: RESUME_JSON,
  resumeTensors: RESUME_TENSORS,
} as const;

export class RunFiles<Settings extends object> {
  constructor(
    private readonly sink: RunSink,
    private readonly trainer: Trainer,
    private readonly settings: Settings,
  ) {}

  /** hyp.yaml (every key) and opt.yaml (the run's settings plus what train.py derives from them). */
  async writeStart(hyp: Readonly<Hyp>): Promise<void> {
    const t = this.trainer;
    const derived = { accumulate: t.accumulate, weight_decay_scaled: t.weightDecay, warmup_iters: t.schedule.warmupIters };
    await this.sink.writeText(RUN_FILES.hyp, hypToYaml(hyp));
    await this.sink.writeText(RUN_FILES.opt, dump({ ...this.settings, ...derived }));
  }

  /** Resume state (raw weights, optimizer, EMA, progress): at each epoch end and whenever a run stops early. */
  async writeResume(): Promise<void> {
    await this.sink.writeBytes(RUN_FILES.resumeTensors, await encodeResumeTensors(this.trainer));
    await this.sink.writeText(RUN_FILES.resumeJson, encodeResumeJson(this.settings, this.trainer));
  }

  async onEpoch(event: EpochEvent): Promise<void> {
    await this.sink.writeText(RUN_FILES.results, resultsCsv(this.trainer.progress.history));
    const weights = await saveSafetensors(this.trainer.emaModel);
    await this.sink.writeBytes(RUN_FILES.last, weights);
    if (event.best) await this.sink.writeBytes(RUN_FILES.best, weights);
    await this.writeResume();
  }
}
