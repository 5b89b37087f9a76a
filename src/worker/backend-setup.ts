/**
 * Prepares the backend a run asks for (through src/runtime/backend.ts) and, on WebGPU, hands the session the device's
 * `lost` promise, so a lost GPU pauses the run instead of failing every later kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '../runtime/backend';
import type { BackendHandle } from './backend-handle';
import type { RunSettings } from './protocol';

interface DeviceHolder {
  device?: { lost?: Promise<{ reason?: string; message?: string }>; destroy?(): void };
}

/** Set by loseDeviceForTest(): the next 'destroyed' loss stands for a real one. */
let simulatedLoss = false;

export async function prepareBackend(settings: RunSettings): Promise<BackendHandle> {
  const info = await setBackend(settings.backend);
  const device = info.name === 'webgpu' ? (tf.backend() as unknown as DeviceHolder).device : undefined;
  // A 'destroyed' device was ended on purpose (backend disposal): that is not a loss to report, unless a test
  // destroyed it to stand for one.
  const deviceLost = device?.lost?.then((lost) =>
    lost.reason === 'destroyed' && !simulatedLoss
      ? new Promise<string>(() => undefined)
      : `${lost.message || 'no message'} (reason: ${lost.reason ?? 'unknown'}${simulatedLoss ? ', simulated by a test' : ''})`,
  );
  return { backend: info.name, adapter: info.adapter, wasmThreads: info.wasmThreads, note: info.note, deviceLost };
}

/** Tests only: destroys the WebGPU device the way a driver reset ends it; false when no device is in use. */
export function loseDeviceForTest(): boolean {
  const device = tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as DeviceHolder).device : undefined;
  if (!device?.destroy) return false;
  simulatedLoss = true;
  device.destroy();
  return true;
}
