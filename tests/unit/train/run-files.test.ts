import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../src/model/safetensors';
import { DEFAULT_HYP, parseHyp } from '../../../src/train/hyp';
import { parseResultsCsv, resultsCsv, RESULTS_COLUMNS } from '../../../src/train/results-csv';
import { RUN_FILES, RunFiles } from '../../../src/train/run-files';
import { MemorySink } from '../../../src/train/sink';
import { EPOCH_TAGS, type EpochRecord } from '../../../src/train/tags';
import { Trainer } from '../../../src/train/trainer';
import { FixedBatches, makeBatch } from './fixed-batches';
import { TinyDetectionModel } from './tiny-model';

describe('results.csv', () => {
  it("has YOLOv5's columns (epoch, then the 13 tags in order) and round-trips", () => {
    expect(RESULTS_COLUMNS).toEqual(['epoch', ...EPOCH_TAGS]);
    const record = Object.fromEntries(RESULTS_COLUMNS.map((c, i) => [c, c === 'epoch' ? 3 : i / 7])) as EpochRecord;
    const text = resultsCsv([record, { ...record, epoch: 4 }]);
    expect(text.split('\n')[0]).toBe(RESULTS_COLUMNS.join(','));
    expect(parseResultsCsv(text)).toEqual([record, { ...record, epoch: 4 }]);
  });
});

describe('RunFiles', () => {
  it('writes hyp.yaml, opt.yaml, results.csv, EMA weights under state_dict names, and the resume state', async () => {
    const model = new TinyDetectionModel({ nc: 2, seed: 1 });
    const emaModel = new TinyDetectionModel({ nc: 2, seed: 2 });
    const trainer = new Trainer({
      model,
      emaModel,
      train: new FixedBatches([makeBatch(4, 32, 1), makeBatch(4, 32, 2)]),
      val: new FixedBatches([makeBatch(4, 32, 3)]),
      hyp: { ...DEFAULT_HYP, warmup_min_iters: 2 },
      epochs: 2,
      batch: 4,
      seed: 5,
    });
    const sink = new MemorySink();
    const files = new RunFiles(sink, trainer, { model: 'tiny', img: 32 });
    await files.writeStart({ ...DEFAULT_HYP, warmup_min_iters: 2 });
    const bests: boolean[] = [];
    await trainer.run(async (e) => {
      if (e.type !== 'epoch') return;
      bests.push(e.best);
      await files.onEpoch(e);
    });

    expect(parseHyp(sink.text(RUN_FILES.hyp) ?? '').hyp).toEqual({ ...DEFAULT_HYP, warmup_min_iters: 2 });
    expect(load(sink.text(RUN_FILES.opt) ?? '')).toMatchObject({ model: 'tiny', img: 32, accumulate: 16, warmup_iters: 6 });
    const rows = parseResultsCsv(sink.text(RUN_FILES.results) ?? '');
    expect(rows.map((r) => r.epoch)).toEqual([0, 1]);
    expect(rows).toEqual(trainer.progress.history);

    const last = decodeSafetensors(sink.files.get(RUN_FILES.last) as Uint8Array);
    const names = [...emaModel.parameters(), ...emaModel.buffers()].map((e) => e.name).sort();
    expect(Object.keys(last).sort()).toEqual(names);
    // The EMA weights, in PyTorch's OIHW layout for conv weights.
    const [kh, kw, ci, co] = emaModel.parameters()[0].variable.shape;
    expect(last['model.0.conv.weight'].shape).toEqual([co, ci, kh, kw]);
    const hwio = emaModel.parameters()[0].variable.dataSync();
    const oihw = last['model.0.conv.weight'].data as Float32Array;
    expect(oihw[((1 * ci + 2) * kh + 0) * kw + 1]).toBe(hwio[((0 * kw + 1) * ci + 2) * co + 1]);
    expect(sink.files.has(RUN_FILES.best)).toBe(bests.some(Boolean));
    expect(sink.files.has(RUN_FILES.resumeJson) && sink.files.has(RUN_FILES.resumeTensors)).toBe(true);
    trainer.dispose();
    model.dispose();
    emaModel.dispose();
  });
});
