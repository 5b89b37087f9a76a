/**
 * Prepares the backend a run asks for (through src/runtime/backend.ts) and, on WebGPU, hands the session the device's
 * `lost` promise, so a lost GPU pauses the run instead of failing every later kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '../runtime/backend';
import type { BackendHandle } from './backend-handle';
import type { RunSettings } from './protocol';

interface DeviceHolder {
  device?: { lost?: Promise<{ reason?: string; message?: string }> };
}

export async function prepareBackend(settings: RunSettings): Promise<BackendHandle> {
  const info = await setBackend(settings.backend);
  const device = info.name === 'webgpu' ? (tf.backend() as unknown as DeviceHolder).device : undefined;
  // A 'destroyed' device was ended on purpose (backend disposal): that is not a loss to report.
  const deviceLost = device?.lost?.then((lost) =>
    lost.reason === 'destroyed'
      ? new Promise<string>(() => undefined)
      : `${lost.message || 'no message'} (reason: ${lost.reason ?? 'unknown'})`,
  );
  return { backend: info.name, adapter: info.adapter, wasmThreads: info.wasmThreads, note: info.note, deviceLost };
}
