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

/** The shared block's three views, laid out as the comment at the top says. */
export function sharedViews(shared: SharedArrayBuffer, threads: number): { control: Int32Array; args: Float64Array; message: Uint8Array } {
  const control = new Int32Array(shared, 0, CONTROL + threads * 4);
  const args = new Float64Array(shared, control.byteLength, threads * MAX_ARGS);
  const message = new Uint8Array(shared, control.byteLength + args.byteLength, MESSAGE_BYTES);
  return { control, args, message };
}

/** Bytes of the shared block for `threads` threads. */
export function sharedBytes(threads: number): number {
  return 4 * (CONTROL + threads * 4) + 8 * threads * MAX_ARGS + MESSAGE_BYTES;
}

/** A module's exported function names, in export order: both sides number functions by this list. */
export function functionNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
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
