// The harness's own spec: tfjs' webgpu backend initialises in a module Web Worker (SwiftShader in CI, a real GPU
// under LAB_E2E_GPU=1), reports its adapter, and trains a tiny conv net with a falling loss and no tensor leak.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAdapterPolicy, e2e, openPage, requireRealGpu } from './harness.mjs';

test('webgpu trains a tiny conv net in a module worker', e2e(async (t) => {
  const { page } = await openPage(t, `tests/e2e/fixtures/webgpu-smoke/?steps=6&gpu=${requireRealGpu ? 1 : 0}`);
  await page.waitForFunction(() => window.__smoke?.status !== 'running', null, { timeout: 300_000, polling: 250 });
  const { status, events } = await page.evaluate(() => window.__smoke);
  const error = events.find((e) => e.type === 'error');
  assert.equal(status, 'done', `worker failed: ${error?.message}`);

  const ready = events.find((e) => e.type === 'ready');
  assert.equal(ready.backend.name, 'webgpu');
  assert.equal(ready.backend.runtime, 'browser');
  assert.equal(typeof ready.backend.adapter.isFallbackAdapter, 'boolean');
  checkAdapterPolicy(ready.backend.adapter);
  t.diagnostic(`adapter: ${ready.description}`);

  const steps = events.filter((e) => e.type === 'step');
  assert.equal(steps.length, 6);
  const done = events.find((e) => e.type === 'done');
  assert.ok(done.losses.every(Number.isFinite), `non-finite loss: ${done.losses}`);
  assert.ok(done.losses[5] < done.losses[0] * 0.8, `loss did not fall: ${done.losses.map((l) => l.toFixed(4)).join(' → ')}`);
  assert.equal(done.numTensorsGrowth, 0, 'tensors leaked between steps');
  t.diagnostic(`losses: ${done.losses.map((l) => l.toFixed(4)).join(' → ')}; step ms: ${steps.map((s) => s.ms.toFixed(0)).join(', ')}`);
}));
