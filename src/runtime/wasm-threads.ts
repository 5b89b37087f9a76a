/**
 * Browser-only: runs tfjs' threaded wasm build from a Vite bundle, with as many XNNPACK threads as we ask for.
 *
 * 1. tfjs gives every pthread worker a script made of `var WasmBackendModuleThreadedSimd = ` + `factory.toString()`.
 * Once Vite has bundled and minified the emscripten factory, that function's text refers to names that live outside
 * it, so every pthread dies with "e is not defined" and the backend never finishes initialising. Giving the factory a
 * toString() that returns emscripten's own unbundled text makes the pthread script self-contained again; the main
 * thread keeps running the bundled copy, which is the same code.
 * 2. tfjs' C side caps the thread count at half of navigator.hardwareConcurrency, read once while the module
 *    initialises (it assumes two hyper-threads per core), so a 2-core laptop gets one thread whatever
 *    setThreadsCount() says. During initialisation only, the worker's navigator reports twice the threads we want.
 */
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

const DECLARATION = 'var WasmBackendModuleThreadedSimd = ';

/** The expression tfjs should append to its `var WasmBackendModuleThreadedSimd = ` (pure, for tests). */
export function pthreadFactorySource(source: string): string {
  const text = source.trimStart();
  if (!text.startsWith(DECLARATION)) {
    throw new Error(
      `tfjs-backend-wasm's threaded build no longer starts with "${DECLARATION.trim()}": ` +
        'the pthread workaround in src/runtime/wasm-threads.ts needs updating for this tfjs version',
    );
  }
  return text.slice(DECLARATION.length);
}

let patched = false;
function makeThreadedWasmBundleSafe(): void {
  if (patched) return;
  const expression = pthreadFactorySource(threadedSource);
  Object.defineProperty(threadedFactory, 'toString', { value: () => expression, configurable: true });
  patched = true;
}

/**
 * Runs `init` (which initialises tfjs' wasm backend) so that XNNPACK gets `threads` threads. tfjs itself loads the
 * single-threaded build when the page is not cross-origin isolated; then this changes nothing.
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  makeThreadedWasmBundleSafe();
  setThreadsCount(threads);
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await init();
  } finally {
    // The own property shadowed the prototype's getter; deleting it restores the real value.
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
