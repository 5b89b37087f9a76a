/** memory.ts and readbacks.ts on the wasm backend: peaks, leaks and readback counts of real computations. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../../src/runtime/backend';
import { measurePeakMemory, memorySnapshot } from '../../../src/runtime/memory';
import { countReadbacks } from '../../../src/runtime/readbacks';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('memory', () => {
  it('snapshot counts live tensors and bytes', () => {
    const before = memorySnapshot();
    const t = tf.zeros([10, 10]);
    const after = memorySnapshot();
    expect(after.numTensors - before.numTensors).toBe(1);
    expect(after.numBytes - before.numBytes).toBe(400);
    expect(after.gpuBytes).toBeNull();
    t.dispose();
  });

  it('peak memory sees intermediates that tidy frees', async () => {
    const peak = await measurePeakMemory(() => {
      tf.tidy(() => {
        const a = tf.ones([256, 256]); // 256 KiB
        const b = tf.mul(a, 2); // another 256 KiB alive at once
        return tf.sum(b);
      }).dispose();
      return 'done';
    });
    expect(peak.result).toBe('done');
    expect(peak.peakBytes).toBeGreaterThanOrEqual(2 * 256 * 256 * 4);
    expect(peak.newTensors).toBe(0);
    expect(peak.kernels.Multiply.count).toBe(1);
    expect(peak.kernels.Multiply.ms).toBeGreaterThanOrEqual(0);
  });
});

describe('readbacks', () => {
  it('counts data() and dataSync() calls, not kernels', async () => {
    const counter = countReadbacks();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.mul(x, x);
    const z = tf.sum(y);
    expect(counter.count).toBe(0);
    await z.data();
    z.dataSync();
    expect(counter.count).toBe(2);
    counter.stop();
    await y.data();
    expect(counter.count).toBe(2);
    tf.dispose([x, y, z]);
  });
});
