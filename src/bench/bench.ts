/**
 * `npm run bench -- [options]` (also `lab bench`): times training steps of the lab's models on tfjs backends, and
 * optionally the same step in PyTorch, then prints a table and writes the JSON document of issue 7. See
 * docs/performance.md for what each column means and for recorded numbers.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendChoice } from '../runtime/backend';
import { BROWSER_PREFIX, browserBenchRows } from './browser';
import { benchFilterGrad, type FilterGradRow } from './filter-grad-bench';
import { benchGroupedConv, type GroupedConvRow } from './grouped-conv-bench';
import { BENCH_USAGE, parseBenchOptions } from './options';
import { torchTrainStep, torchVersion } from './pytorch';
import { formatFilterGrad, formatGroupedConv, formatResults, formatWhereTimeGoes, machineDescription, type BenchDocument } from './report';
import { expandModels, NC, subject } from './subjects';
import { benchRow, round, type BenchRow } from './train-bench';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runBench(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(BENCH_USAGE);
    return 0;
  }
  const options = parseBenchOptions(argv);
  const models = options.noModels ? [] : expandModels(options.models);
  const torch = options.pytorch === 'auto' ? torchVersion() : null;
  console.log(`[bench] ${machineDescription()}; PyTorch: ${torch ?? 'absent (pytorch_train_step_ms = null)'}`);

  // PyTorch first, once per (model, scale), so every backend's row carries the same reference.
  const jobs = models.flatMap((model) => (model === 'probe' ? ['-'] : options.scales).map((scale) => ({ model, scale })));
  const torchMs = new Map<string, number | null>();
  const torchParams = new Map<string, number>();
  let torchThreads: number | null = null;
  for (const { model, scale } of torch ? jobs : []) {
    const s = subject(model, scale, root);
    const t = torchTrainStep(root, { model, yaml: s.yamlPath, scale, img: options.img, batch: options.batch, steps: options.steps, warmup: options.warmup, nc: NC, threads: options.torchThreads });
    torchMs.set(`${model}/${scale}`, t ? round(t.train_step_ms) : null);
    if (t) torchParams.set(`${model}/${scale}`, t.params);
    torchThreads = t?.threads ?? torchThreads;
    if (t) console.log(`[bench] PyTorch ${model} ${scale}: ${round(t.train_step_ms)} ms/step (${t.params} params, ${t.threads} threads)`);
  }

  const results: BenchRow[] = [];
  const addRow = (row: BenchRow) => {
    const key = `${row.model}/${row.scale}`;
    row.pytorch_train_step_ms = torchMs.get(key) ?? null;
    const theirs = torchParams.get(key);
    if (!row.error && theirs !== undefined && theirs !== row.params) {
      console.warn(`[bench] ${key}: PyTorch has ${theirs} parameters, ours ${row.params}: not like for like`);
    }
    results.push(row);
  };
  const settingsFor = (backend: string) => ({ backend: backend as BackendChoice, img: options.img, batch: options.batch, steps: options.steps, warmup: options.warmup, wasmThreads: options.wasmThreads, convs: options.convs, kernelThreads: options.kernelThreads });
  for (const { model, scale } of jobs) {
    for (const backend of options.backends.filter((b) => !b.startsWith(BROWSER_PREFIX))) {
      console.log(`[bench] ${model} ${scale} on ${backend}, ${options.batch}x${options.img}²...`);
      try {
        addRow(await benchRow(subject(model, scale, root), settingsFor(backend)));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        console.error(`[bench] ${model} ${scale} on ${backend} failed: ${error}`);
        addRow(failedRow(model, scale, backend, options.img, options.batch, error));
      }
    }
  }
  for (const backend of options.backends.filter((b) => b.startsWith(BROWSER_PREFIX))) {
    const yamlJobs = jobs.filter((j) => j.model !== 'probe');
    console.log(`[bench] ${yamlJobs.length} model(s) on ${backend} in headless Chromium...`);
    try {
      await browserBenchRows(yamlJobs, settingsFor(backend.slice(BROWSER_PREFIX.length)), addRow);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      console.error(`[bench] ${backend} failed: ${error}`);
      addRow(failedRow('-', '-', backend, options.img, options.batch, error));
    }
  }

  let grouped: GroupedConvRow[] | undefined;
  if (options.grouped) {
    grouped = [];
    for (const backend of options.backends.filter((b) => !b.startsWith(BROWSER_PREFIX))) {
      grouped.push(...(await benchGroupedConv(backend as BackendChoice, options.img, options.batch, options.steps)));
    }
  }

  const filterGrad: FilterGradRow[] | undefined = options.filterGrad ? await benchFilterGrad(options.img, options.batch, options.steps) : undefined;

  if (results.length) {
    console.log('\n' + formatResults(results));
    console.log('\nwhere the time goes (one profiled step):\n' + formatWhereTimeGoes(results));
  }
  if (grouped?.length) console.log('\ngrouped 3x3 conv, forward + backward, vs a dense conv of equal FLOPs:\n' + formatGroupedConv(grouped));
  if (filterGrad) console.log('\nwebgpu conv filter gradient, tfjs vs tiled:\n' + formatFilterGrad(filterGrad));

  const doc: BenchDocument = {
    machine: machineDescription(),
    date: new Date().toISOString(),
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    results,
    ...(grouped ? { grouped_conv: grouped } : {}),
    ...(filterGrad ? { filter_grad: filterGrad } : {}),
    pytorch: { version: torch, threads: torchThreads },
  };
  if (options.json) {
    writeFileSync(options.json, JSON.stringify(doc, null, 2) + '\n');
    console.log(`[bench] wrote ${options.json}`);
  }
  return results.some((r) => r.error) ? 1 : 0;
}

function failedRow(model: string, scale: string, backend: string, img: number, batch: number, error: string): BenchRow {
  return {
    model, scale, backend, img, batch,
    forward_ms: NaN, train_step_ms: NaN, images_per_s: NaN, peak_tensors: 0, peak_bytes: 0, readbacks_per_step: 0,
    dispatches_per_step: 0, kernels_per_step: 0, upload_bytes_per_step: null,
    pytorch_train_step_ms: null, params: 0, kernel_ms: null, top_kernels: [], backend_detail: backend, error,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runBench(process.argv.slice(2));
}
