// The harness's own spec: tfjs' webgpu backend initialises in a module Web Worker (SwiftShader in CI, a real GPU
// under LAB_E2E_GPU=1), reports its adapter, and trains a tiny conv net (with a grouped conv on our own kernels) with a
// falling loss and no tensor leak; the same on the page's threaded wasm fallback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAdapterPolicy, e2e, openPage, requireRealGpu } from './harness.mjs';

/** Runs the smoke page's worker to the end and checks the training it reports; returns the events. */
async function runSmoke(t, query) {
  const { page } = await openPage(t, `tests/e2e/fixtures/webgpu-smoke/?${query}`);
  await page.waitForFunction(() => window.__smoke?.status !== 'running', null, { timeout: 300_000, polling: 250 });
  const { status, events } = await page.evaluate(() => window.__smoke);
  const error = events.find((e) => e.type === 'error');
  assert.equal(status, 'done', `worker failed: ${error?.message}`);

  const steps = events.filter((e) => e.type === 'step');
  assert.equal(steps.length, 6);
  const done = events.find((e) => e.type === 'done');
  assert.ok(done.losses.every(Number.isFinite), `non-finite loss: ${done.losses}`);
  assert.ok(done.losses[5] < done.losses[0] * 0.8, `loss did not fall: ${done.losses.map((l) => l.toFixed(4)).join(' → ')}`);
  assert.equal(done.numTensorsGrowth, 0, 'tensors leaked between steps');
  t.diagnostic(`losses: ${done.losses.map((l) => l.toFixed(4)).join(' → ')}; step ms: ${steps.map((s) => s.ms.toFixed(0)).join(', ')}`);
  const ready = events.find((e) => e.type === 'ready');
  assert.ok(ready.groupedConvKernel, `${ready.description} did not get our grouped-conv kernels`);
  assert.ok(ready.batchNormKernel, `${ready.description} did not get our fused BatchNorm kernels`);
  return { page, ready };
}

test('webgpu trains a tiny conv net in a module worker', e2e(async (t) => {
  const { ready } = await runSmoke(t, `backend=webgpu&steps=6&gpu=${requireRealGpu ? 1 : 0}`);
  assert.equal(ready.backend.name, 'webgpu');
  assert.equal(ready.backend.runtime, 'browser');
  assert.equal(typeof ready.backend.adapter.isFallbackAdapter, 'boolean');
  checkAdapterPolicy(ready.backend.adapter);
  t.diagnostic(`adapter: ${ready.description}`);
}));

// The page's fallback when WebGPU is missing: tfjs' threaded wasm build with one thread per logical core for our
// kernels (kernel threads on tfjs' shared memory), which needs the cross-origin isolated page (COOP/COEP in
// vite.config.ts) and src/runtime/wasm-threads.ts.
test('the wasm fallback trains with threads in the cross-origin isolated page', e2e(async (t) => {
  const { page, ready } = await runSmoke(t, 'backend=wasm&steps=6');
  assert.equal(ready.backend.name, 'wasm');
  const { isolated, cores } = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  assert.ok(isolated, 'the page is not cross-origin isolated: check the COOP/COEP headers');
  if (cores > 1) {
    assert.ok(ready.backend.wasmThreads > 1, `wasm runs ${ready.backend.wasmThreads} thread(s) on ${cores} cores`);
    assert.equal(ready.backend.kernelThreads, ready.backend.wasmThreads, 'our kernels did not get the threads');
  }
  const { events } = await page.evaluate(() => window.__smoke);
  const check = events.find((e) => e.type === 'kernel-check');
  assert.ok(check.worstError < 1e-4, `threaded kernels differ from cpu by ${check.worstError}`);
  if (cores > 1) assert.match(check.trap, /^RuntimeError: kernel thread \d+: .*out of bounds/, 'a trap in a kernel thread');
  t.diagnostic(`threaded kernels vs cpu: worst relative error ${check.worstError.toExponential(2)}; a trap: ${check.trap}`);
  t.diagnostic(`${ready.description} on ${cores} logical cores`);
}));
