/// <reference lib="webworker" />
/**
 * One kernel thread (see kernel-threads.ts): instantiates the modules on tfjs' shared memory, says it is ready, then
 * loops forever: wait (poll briefly, then sleep) for the epoch to move, run this thread's job, count itself done.
 * It never returns to its event loop, so everything it needs comes in the first message.
 */
import { functionNames, MAX_ARGS, MESSAGE_BYTES, sharedViews, slotOf, spinWhile, type KernelThreadInit } from './kernel-thread-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<KernelThreadInit>) => {
  const { memory, modules, shared, index, threads } = event.data;
  const functions = modules.map((module) => {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    return functionNames(module).map((name) => exports[name] as (...args: number[]) => void);
  });
  const { control, args, message } = sharedViews(shared, threads);
  const slot = slotOf(index);
  scope.postMessage('ready');
  let seen = Atomics.load(control, 0);
  for (;;) {
    if (!spinWhile(control, 0, seen)) Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    const module = control[slot];
    if (module >= 0) {
      try {
        const from = index * MAX_ARGS;
        functions[module][control[slot + 1]](...args.subarray(from, from + control[slot + 2]));
      } catch (error) {
        if (Atomics.compareExchange(control, 2, 0, index) === 0) {
          const text = new TextEncoder().encode(`kernel thread ${index}: ${(error as Error).message}`.slice(0, 200));
          message.fill(0);
          message.set(text.subarray(0, MESSAGE_BYTES - 1));
        }
      }
    }
    if (Atomics.sub(control, 1, 1) === 1) Atomics.notify(control, 1);
  }
};
