/**
 * setBackend() in Node: wasm and cpu always; webgpu through Dawn on the lavapipe that scripts/setup.sh vendors
 * (a software adapter, so 'auto' must choose wasm here); clear errors for what cannot work.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  describeBackend,
  parseBackendChoice,
  probeWebGpu,
  setBackend,
} from '../../../src/runtime/backend';
import { hasLavapipe, onBackend, randomValues, relativeError } from './compare';

// CI runs scripts/setup.sh first, so lavapipe is there; a bare checkout without it skips only the webgpu cases.
describe('setBackend in Node', () => {
  it('wasm reports one thread and becomes the active backend', async () => {
    const info = await setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info).toMatchObject({ name: 'wasm', requested: 'wasm', runtime: 'node', adapter: null, wasmThreads: 1 });
    expect(describeBackend(info)).toBe('wasm (1 thread)');
  });

  it('cpu works and webgl is refused with a reason', async () => {
    expect((await setBackend('cpu')).name).toBe('cpu');
    const err = await setBackend('webgl').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).reason).toBe('not-supported-here');
  });

  it('rejects unknown names', () => {
    expect(parseBackendChoice('auto')).toBe('auto');
    expect(() => parseBackendChoice('tpu')).toThrow(/choose one of auto, webgpu, wasm, cpu, webgl/);
  });

  it.runIf(hasLavapipe)('webgpu runs on Dawn + lavapipe and reports a fallback adapter', async () => {
    const probe = await probeWebGpu();
    expect(probe.ok).toBe(true);
    if (!probe.ok) return;
    expect(probe.info.isFallbackAdapter).toBe(true);
    expect(probe.info.limits.maxBufferSize).toBeGreaterThan(0);

    const info = await setBackend('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(info.adapter?.isFallbackAdapter).toBe(true);

    // A conv gradient on webgpu equals the cpu backend's.
    const xv = randomValues(2 * 8 * 8 * 3, 31);
    const wv = randomValues(3 * 3 * 3 * 4, 32);
    const grads = () => {
      const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')));
      return tf.grads(f)([tf.tensor4d(xv, [2, 8, 8, 3]), tf.tensor4d(wv, [3, 3, 3, 4])]);
    };
    const gpu = await onBackend('webgpu', grads);
    const cpu = await onBackend('cpu', grads);
    expect(relativeError(gpu[0], cpu[0])).toBeLessThan(1e-4);
    expect(relativeError(gpu[1], cpu[1])).toBeLessThan(1e-4);
  });

  it.runIf(hasLavapipe)('auto skips a software adapter and says why; requireRealAdapter refuses it', async () => {
    const info = await setBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.note).toMatch(/no hardware GPU adapter .*is a software one/);
    const err = await setBackend('webgpu', { requireRealAdapter: true }).catch((e: unknown) => e);
    expect((err as BackendUnavailableError).reason).toBe('fallback-adapter');
  });
});
