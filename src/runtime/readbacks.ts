/**
 * Counts GPU→CPU (or wasm-heap→JS) readbacks: every `data()`, `dataSync()`, `array()` of a tensor goes through the
 * engine's read/readSync. Kernels that read their inputs on the host (some wasm/cpu kernels do) call the backend
 * directly and are not counted. The worker promises one readback per training step; the benchmarks check it.
 */
import * as tf from '@tensorflow/tfjs';

type Reader = (...args: unknown[]) => unknown;
const READ_METHODS = ['read', 'readSync', 'readToGPU'] as const;

export interface ReadbackCounter {
  readonly count: number;
  /** Restores the backend's own methods. */
  stop(): void;
}

/** Starts counting readbacks (instance methods shadow the engine's prototype methods until stop()). */
export function countReadbacks(): ReadbackCounter {
  const engine = tf.engine() as unknown as Record<string, Reader | undefined>;
  let count = 0;
  const patched: string[] = [];
  for (const method of READ_METHODS) {
    const original = engine[method];
    if (typeof original !== 'function' || Object.prototype.hasOwnProperty.call(engine, method)) continue;
    engine[method] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
    patched.push(method);
  }
  return {
    get count() {
      return count;
    },
    stop() {
      for (const method of patched) delete engine[method];
    },
  };
}
