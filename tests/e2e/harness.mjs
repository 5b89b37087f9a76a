// Helpers for e2e spec files (tests/e2e/*.spec.mjs). run.mjs builds the pages, serves them and runs each spec file
// with node:test in its own process; a spec uses `openPage(t, path)` to get a Playwright page in a fresh headless
// Chromium profile. A failed test keeps its screenshot and console log under test-results/e2e/<test>/; every test's
// final screenshot is kept there too, as an artifact.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumExecutable, chromiumArgs } from '../../src/bench/chromium.mjs';

export const baseUrl = process.env.E2E_BASE_URL ?? '';
/** LAB_E2E_GPU=1: the suite must run on a real GPU (a non-fallback WebGPU adapter); default accepts SwiftShader. */
export const requireRealGpu = process.env.LAB_E2E_GPU === '1';
export const resultsDir = join(process.cwd(), 'test-results', 'e2e');

let contextPromise;
let profileDir;
/** Tests whose body threw (see e2e()); their console logs are kept. */
const failed = new WeakSet();

/** One persistent context (fresh profile) per spec file; closed when the file's tests end. */
async function browserContext() {
  if (!baseUrl) throw new Error('E2E_BASE_URL is not set: run the e2e suite through `npm run test:e2e`');
  contextPromise ??= (async () => {
    profileDir = mkdtempSync(join(tmpdir(), 'lab-e2e-profile-'));
    return chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumExecutable(),
      headless: true,
      args: chromiumArgs(),
      viewport: { width: 1280, height: 800 },
    });
  })();
  return contextPromise;
}

after(async () => {
  if (contextPromise) await (await contextPromise).close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

function slug(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test';
}

/**
 * Opens `path` (relative to the served build, or to `base`) in a new page for test `t`. Console messages, page errors and worker
 * errors are recorded; on failure they are written next to a screenshot. Returns the page and its log lines.
 */
export async function openPage(t, path, base = baseUrl) {
  const context = await browserContext();
  const page = await context.newPage();
  const log = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (m) => log.push(`${stamp()} [${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`${stamp()} [pageerror] ${e.stack ?? e.message}`));
  page.on('worker', (w) => log.push(`${stamp()} [worker] started ${w.url()}`));
  page.on('requestfailed', (r) => log.push(`${stamp()} [requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  const dir = join(resultsDir, slug(t.fullName ?? t.name));
  t.after(async () => {
    mkdirSync(dir, { recursive: true });
    // t.after runs whether the test passed or failed; the console log is kept for failures (and LAB_E2E_KEEP_LOGS=1).
    await page.screenshot({ path: join(dir, 'final.png'), fullPage: true }).catch(() => {});
    if (failed.has(t) || process.env.LAB_E2E_KEEP_LOGS === '1') writeFileSync(join(dir, 'console.log'), log.join('\n') + '\n');
    await page.close().catch(() => {});
  });
  await page.goto(new URL(path, base).href);
  return { page, log, artifactsDir: dir };
}

/**
 * Wraps a test body so that its failure is known to openPage's cleanup (node:test does not tell t.after hooks).
 * Usage: `test('name', e2e(async (t) => { const { page } = await openPage(t, '/'); ... }))`.
 */
export function e2e(body) {
  return async (t) => {
    try {
      await body(t);
    } catch (err) {
      failed.add(t);
      throw err;
    }
  };
}

/** Fails when the adapter does not fit the run mode: a real GPU is required under LAB_E2E_GPU=1. */
export function checkAdapterPolicy(adapter) {
  if (!adapter) throw new Error('no WebGPU adapter was reported');
  if (requireRealGpu && adapter.isFallbackAdapter) {
    throw new Error(`LAB_E2E_GPU=1 needs a real GPU, but the adapter is a fallback: ${JSON.stringify(adapter)}`);
  }
}
