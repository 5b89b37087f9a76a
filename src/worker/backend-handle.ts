/**
 * What preparing a backend gives a session, and what to offer when the requested backend cannot be had.
 */
import type { AdapterInfo, BackendName, RecoveryOffer } from './protocol';

export interface BackendHandle {
  backend: BackendName;
  adapter: AdapterInfo | null;
  /** wasm: the XNNPACK threads it runs. */
  wasmThreads?: number;
  /** Why 'auto' chose this backend. */
  note?: string;
  /** Resolves with the reason when the GPU device is lost (webgpu only). */
  deviceLost?: Promise<string>;
}

const SPEED_WARNINGS: Record<BackendName, string> = {
  webgpu: 'WebGPU is the fast path on a real GPU.',
  webgl: 'WebGL trains on the GPU through graphics shaders: it works, but is slower than WebGPU.',
  wasm: 'WebAssembly trains on the CPU: expect seconds per step even for small models at small image sizes.',
  cpu: 'The plain JavaScript CPU backend is very slow: use it only to check results.',
};

/** The other backends, as offers with an honest word on speed (WebGL and WebAssembly first). */
export function fallbackOffers(unavailable: BackendName): RecoveryOffer[] {
  const order: BackendName[] = ['webgl', 'wasm', 'webgpu'];
  return order
    .filter((backend) => backend !== unavailable)
    .map((backend) => ({ kind: 'switch-backend', backend, warning: SPEED_WARNINGS[backend] }));
}
