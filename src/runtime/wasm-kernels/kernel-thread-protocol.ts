/**
 * The shared control block of kernel-threads.ts and kernel-thread.worker.ts (Int32 cells):
 * [0] epoch, bumped once per call; [1] workers still running; [2] 0, or the index of a worker whose job failed;
 * then per thread w a slot of 4 cells at slotOf(w): module, function (−1: no job this call), argument count.
 * The arguments follow as float64 (MAX_ARGS per thread: exact for int32, uint32 pointers and float32), then a failed
 * job's message as UTF-8.
 */
export const CONTROL = 4;
export const MAX_ARGS = 16;
export const MESSAGE_BYTES = 512;

/**
 * How long a thread polls before it sleeps in Atomics.wait: a step issues our kernels tens of µs apart, and a wake
 * from Atomics.wait costs about that much again, so a short poll catches most calls awake.
 */
export const SPIN_MS = 0.1;

/** Polls `cells[index]` until it differs from `value` or SPIN_MS pass; true when it changed. */
export function spinWhile(cells: Int32Array, index: number, value: number): boolean {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(cells, index) === value) {
    if (performance.now() > until) return false;
  }
  return true;
}

export function slotOf(thread: number): number {
  return CONTROL + thread * 4;
}

export interface KernelThreadInit {
  memory: WebAssembly.Memory;
  /** The shared-memory builds, in the order the main thread numbers them. */
  modules: WebAssembly.Module[];
  shared: SharedArrayBuffer;
  index: number;
  threads: number;
}
