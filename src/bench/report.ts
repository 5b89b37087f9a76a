/** The benchmark's outputs: an aligned text table for people and the JSON document for tools. */
import { cpus, totalmem } from 'node:os';
import type { FilterGradRow } from './filter-grad-bench';
import type { GroupedConvRow } from './grouped-conv-bench';
import type { BenchRow } from './train-bench';

export interface BenchDocument {
  machine: string;
  date: string;
  command: string;
  results: BenchRow[];
  grouped_conv?: GroupedConvRow[];
  filter_grad?: FilterGradRow[];
  pytorch?: { version: string | null; threads: number | null };
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

function table(headers: string[], rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function formatResults(rows: BenchRow[]): string {
  return table(
    ['model', 'scale', 'backend', 'img', 'batch', 'params', 'fwd ms', 'step ms', 'img/s', 'peak tensors', 'peak MB', 'readbacks', 'dispatches', 'kernels', 'upload KB', 'torch ms', 'ours/torch'],
    rows.map((r) => [
      r.model,
      r.scale,
      r.backend,
      r.img,
      r.batch,
      r.params,
      r.error ? 'error' : r.forward_ms,
      r.error ? 'error' : r.train_step_ms,
      r.images_per_s,
      r.peak_tensors,
      Math.round(r.peak_bytes / 2 ** 20),
      r.readbacks_per_step,
      r.dispatches_per_step,
      r.kernels_per_step,
      r.upload_bytes_per_step === null ? null : Math.round(r.upload_bytes_per_step / 1024),
      r.pytorch_train_step_ms,
      r.pytorch_train_step_ms ? (r.train_step_ms / r.pytorch_train_step_ms).toFixed(2) : null,
    ]),
  );
}

export function formatWhereTimeGoes(rows: BenchRow[]): string {
  return rows
    .filter((r) => !r.error && r.kernel_ms !== null)
    .map((r) => {
      const kernels = r.top_kernels.slice(0, 6).map((k) => `${k.name} ${k.ms} ms/${k.count}`).join(', ');
      return `${r.model}/${r.scale}/${r.backend}: kernels ${r.kernel_ms} ms of a profiled step (${kernels})`;
    })
    .join('\n');
}

export function formatGroupedConv(rows: GroupedConvRow[]): string {
  // Backends may time different strategies ('kernel' needs the backend's own kernel): one column pair per name seen.
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.strategies)))];
  return table(
    ['backend', 'stage', 'shape', 'dense ms', 'square dense ms', ...names.flatMap((n) => [`${n} ms`, `${n} ×dense`, `${n} ×square`])],
    rows.map((r) => [
      r.backend,
      r.stage,
      r.shape.join('x'),
      r.dense_ms,
      r.dense_square_ms,
      ...names.flatMap((n) => {
        const s = r.strategies[n];
        return s ? [s.ms, s.ratio, s.ratio_square] : [null, null, null];
      }),
    ]),
  );
}

export function formatFilterGrad(rows: FilterGradRow[]): string {
  return table(
    ['adapter', 'layer', 'x', 'filter', 'stride', 'tfjs ms', 'tiled ms', 'tfjs GFLOP/s', 'tiled GFLOP/s', 'speed-up'],
    rows.map((r) => [r.adapter, r.layer, r.x.join('x'), r.filter.join('x'), r.stride, r.tfjs_ms, r.tiled_ms, r.tfjs_gflops, r.tiled_gflops, r.speedup]),
  );
}
