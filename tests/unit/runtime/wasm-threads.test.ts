// The pthread script that tfjs builds from the threaded factory must define the factory on its own, with nothing
// from the bundle around it: that is what broke every pthread under Vite.
import { describe, expect, it } from 'vitest';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { pthreadFactorySource } from '../../../src/runtime/wasm-threads';

describe('pthreadFactorySource', () => {
  it('turns the installed tfjs threaded build into a self-contained pthread script', () => {
    const script = `var WasmBackendModuleThreadedSimd = ${pthreadFactorySource(threadedSource)}`;
    // Evaluated in a scope of its own, as importScripts() does in a pthread worker.
    const factory = new Function(`${script}\nreturn WasmBackendModuleThreadedSimd;`)();
    expect(typeof factory).toBe('function');
    expect(factory.length).toBe(1); // emscripten's factory(moduleArg)
  });

  it('names the file to fix when a tfjs update changes the build', () => {
    expect(() => pthreadFactorySource('module.exports = function () {};')).toThrow(/src\/runtime\/wasm-threads\.ts/);
  });
});
