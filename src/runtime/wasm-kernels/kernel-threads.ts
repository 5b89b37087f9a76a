/**
 * Kernel threads: our heap modules' work split across Web Workers that share tfjs' wasm memory (browser, threaded
 * tfjs build only). tfjs' own pthreads serve XNNPACK alone; every other kernel, ours included, ran on one thread, so a
 * second core made convs faster but not the train step.
 *
 * Each worker instantiates the same modules on the same shared Memory (kernel-thread.worker.ts) and then blocks in
 * Atomics.wait. A call writes one job per worker into a shared control block, wakes them, runs job 0 itself and
 * waits until all are done. Kernels stay synchronous, as tfjs requires, and no data is copied: jobs are pointers.
 * The caller must be a worker too (the training worker is): browsers forbid Atomics.wait on the page's main thread.
 */
import { heapModule, type HeapModuleBytes } from './heap-module';
import { functionNames, MAX_ARGS, sharedBytes, sharedViews, slotOf, spinWhile, type KernelThreadInit } from './kernel-thread-protocol';

export interface KernelJob {
  fn: string;
  args: number[];
}

type Exports = Record<string, (...args: number[]) => void>;

/** Longest a call waits for the other threads before it reports them lost (a scale-l conv takes seconds at most). */
const STALL_MS = 120_000;

export class KernelThreads {
  private readonly ids = new Map<HeapModuleBytes, { module: number; functions: Map<string, number> }>();

  private constructor(
    private readonly workers: Worker[],
    private readonly control: Int32Array,
    private readonly args: Float64Array,
    private readonly message: Uint8Array,
    modules: HeapModuleBytes[],
  ) {
    modules.forEach((bytes, module) => {
      const names = functionNames(compiled(bytes));
      this.ids.set(bytes, { module, functions: new Map(names.map((name, i) => [name, i])) });
    });
  }

  /**
   * Starts `threads − 1` workers on `memory` with `modules` (their shared builds); null where threads do not apply (one
   * thread, or not in a worker); throws with the reason where they should but cannot start.
   */
  static async start(memory: WebAssembly.Memory, modules: HeapModuleBytes[], threads: number): Promise<KernelThreads | null> {
    if (threads < 2 || typeof WorkerGlobalScope === 'undefined') return null;
    if (typeof Worker === 'undefined') throw new Error('this browser has no Worker inside workers');
    if (!(memory.buffer instanceof SharedArrayBuffer)) {
      throw new Error("tfjs' wasm memory is not shared (the page is not cross-origin isolated, so tfjs loaded its one-thread build)");
    }
    const shared = new SharedArrayBuffer(sharedBytes(threads));
    const { control, args, message } = sharedViews(shared, threads);
    const workers: Worker[] = [];
    try {
      for (let index = 1; index < threads; index++) {
        const worker = new Worker(new URL('./kernel-thread.worker.ts', import.meta.url), { type: 'module' });
        workers.push(worker);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const ready = new Promise<void>((resolve, reject) => {
          worker.onmessage = () => resolve();
          worker.onerror = (e) => reject(new Error(e.message || 'a kernel thread failed to start'));
          timer = setTimeout(() => reject(new Error('a kernel thread did not start within 20 s')), 20_000);
        });
        const init: KernelThreadInit = { memory, modules: modules.map((m) => compiled(m)), shared, index, threads };
        worker.postMessage(init);
        await ready.finally(() => clearTimeout(timer));
      }
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw error;
    }
    return new KernelThreads(workers, control, args, message, modules);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Runs jobs[0] here and jobs[i] on worker i (at most `threads` jobs), and returns when all have finished. */
  run(bytes: HeapModuleBytes, exports: Exports, jobs: KernelJob[]): void {
    const id = this.ids.get(bytes);
    if (!id) throw new Error('kernel threads: this module was not loaded into the threads');
    if (jobs.length > this.threads) throw new Error(`kernel threads: ${jobs.length} jobs for ${this.threads} threads`);
    const c = this.control;
    for (let w = 1; w < this.threads; w++) {
      const slot = slotOf(w);
      const job = jobs[w];
      if (!job) {
        c[slot] = -1;
        continue;
      }
      const fn = id.functions.get(job.fn);
      if (fn === undefined) throw new Error(`kernel threads: no function ${job.fn}`);
      if (job.args.length > MAX_ARGS) throw new Error(`kernel threads: ${job.fn} has more than ${MAX_ARGS} arguments`);
      c[slot] = id.module;
      c[slot + 1] = fn;
      c[slot + 2] = job.args.length;
      this.args.set(job.args, w * MAX_ARGS);
    }
    Atomics.store(c, 1, this.threads - 1);
    Atomics.store(c, 2, 0);
    Atomics.add(c, 0, 1);
    Atomics.notify(c, 0);
    try {
      exports[jobs[0].fn](...jobs[0].args);
    } finally {
      this.awaitWorkers();
    }
    if (Atomics.load(c, 2) !== 0) {
      const end = this.message.indexOf(0);
      // Copied out first: TextDecoder refuses views of shared memory.
      const text = new TextDecoder().decode(this.message.slice(0, end < 0 ? undefined : end));
      throw new WebAssembly.RuntimeError(text || 'a kernel thread failed');
    }
  }

  private awaitWorkers(): void {
    const first = Atomics.load(this.control, 1);
    if (first === 0 || (spinWhile(this.control, 1, first) && Atomics.load(this.control, 1) === 0)) return;
    const deadline = Date.now() + STALL_MS;
    for (let pending = Atomics.load(this.control, 1); pending !== 0; pending = Atomics.load(this.control, 1)) {
      if (Date.now() > deadline) throw new WebAssembly.RuntimeError(`a kernel thread stopped answering for ${STALL_MS / 1000} s`);
      Atomics.wait(this.control, 1, pending, 1000);
    }
  }

  stop(): void {
    for (const worker of this.workers) worker.terminate();
  }
}

const modules = new WeakMap<HeapModuleBytes, WebAssembly.Module>();
function compiled(bytes: HeapModuleBytes): WebAssembly.Module {
  let module = modules.get(bytes);
  if (!module) {
    module = new WebAssembly.Module(Uint8Array.from(atob(bytes.sharedWasmBase64), (c) => c.charCodeAt(0)));
    modules.set(bytes, module);
  }
  return module;
}

let active: { memory: WebAssembly.Memory; threads: KernelThreads } | null = null;

/**
 * Starts kernel threads for tfjs' heap `memory` (replacing earlier ones): resolves with the thread count in use, and
 * where threads were asked for but could not start, why (the caller tells the user; kernels then run on one thread).
 */
export async function startKernelThreads(
  memory: WebAssembly.Memory,
  modules: HeapModuleBytes[],
  threads: number,
): Promise<{ threads: number; problem?: string }> {
  if (active?.memory === memory && active.threads.threads === threads) return { threads };
  active?.threads.stop();
  active = null;
  try {
    const started = await KernelThreads.start(memory, modules, threads);
    if (started) active = { memory, threads: started };
    return { threads: started?.threads ?? 1 };
  } catch (error) {
    return { threads: 1, problem: (error as Error).message };
  }
}

/**
 * How many parts a kernel on `memory` splits work of this size into: 1 under `minWork` (waking a thread costs tens
 * of µs), else one per kernel thread.
 */
export function kernelThreadCount(memory: WebAssembly.Memory, work = Infinity, minWork = 0): number {
  return active?.memory === memory && work >= minWork ? active.threads.threads : 1;
}

/** [0, total) as at most `parts` contiguous runs, the cuts on multiples of `align` (none empty). */
export function ranges(total: number, parts: number, align = 1): { first: number; count: number }[] {
  const units = Math.ceil(total / align);
  const n = Math.max(1, Math.min(parts, units));
  const cut = (p: number) => Math.min(total, Math.floor((p * units) / n) * align);
  return Array.from({ length: n }, (_, p) => ({ first: cut(p), count: cut(p + 1) - cut(p) }));
}

/** Items 0..n−1 with these sizes as at most `parts` contiguous runs of about equal total size (none empty). */
export function balancedRanges(sizes: number[], parts: number): { first: number; count: number }[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const runs: { first: number; count: number }[] = [];
  let first = 0;
  let done = 0;
  const close = (end: number) => {
    runs.push({ first, count: end - first });
    first = end;
  };
  for (let i = 0; i < sizes.length; i++) {
    // Each run ends at the cut nearest its share of the total: before item i or after it.
    const share = (total * (runs.length + 1)) / parts;
    const open = () => runs.length < parts - 1;
    if (open() && i > first && done + sizes[i] > share && share - done < done + sizes[i] - share) close(i);
    done += sizes[i];
    if (open() && done >= (total * (runs.length + 1)) / parts && i < sizes.length - 1) close(i + 1);
  }
  if (first < sizes.length) close(sizes.length);
  return runs;
}

/** Runs `jobs` of a heap module: split across the kernel threads where they run, else one after another here. */
export function runJobs(bytes: HeapModuleBytes, memory: WebAssembly.Memory, jobs: KernelJob[]): void {
  const exports = heapModule<Exports>(bytes, memory);
  if (jobs.length > 1 && active?.memory === memory) {
    active.threads.run(bytes, exports, jobs);
    return;
  }
  for (const job of jobs) exports[job.fn](...job.args);
}
