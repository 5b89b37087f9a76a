#!/usr/bin/env node
// `npm run test:e2e [-- spec-file ...]`: builds the app and the e2e fixture pages with Vite, serves them with
// `vite preview` on a free localhost port, checks that Chromium starts and offers WebGPU, then runs the spec files
// (tests/e2e/*.spec.mjs|ts) with node's built-in test runner, one file at a time. Artifacts go to test-results/e2e/.
//
//   CHROMIUM_PATH=/path/to/chrome   use this browser instead of `chromium` on PATH
//   LAB_E2E_GPU=1                   require a real (non-fallback) WebGPU adapter; default accepts SwiftShader
//   LAB_E2E_KEEP_LOGS=1             keep console logs of passing tests too
//   --fixtures-only                 build only tests/e2e/fixtures pages (not the app), e.g. while the app is broken
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumExecutable } from '../../src/bench/chromium.mjs';
import { buildAndServe, root } from '../../src/bench/serve.mjs';
import { pages } from './pages.mjs';

const e2eDir = join(root, 'tests', 'e2e');
const resultsDir = join(root, 'test-results', 'e2e');
const log = (msg) => console.log(`[e2e] ${msg}`);

function specFiles(args) {
  const chosen = args.filter((a) => !a.startsWith('-'));
  if (chosen.length) return chosen.map((f) => resolve(f));
  return readdirSync(e2eDir)
    .filter((f) => /\.spec\.(mjs|ts)$/.test(f))
    .sort()
    .map((f) => join(e2eDir, f));
}

/** Starts Chromium once and asks for a WebGPU adapter, so a broken browser fails here with a clear message. */
async function preflight(baseUrl) {
  const executablePath = chromiumExecutable();
  const profile = join(resultsDir, '.preflight-profile');
  rmSync(profile, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: chromiumArgs() });
  try {
    const page = await context.newPage();
    await page.goto(new URL('tests/e2e/fixtures/blank/', baseUrl).href);
    const adapter = await page.evaluate(async () => {
      if (!navigator.gpu) return { error: 'navigator.gpu is missing' };
      const a = await navigator.gpu.requestAdapter();
      if (!a) return { error: 'requestAdapter() returned null' };
      const info = a.info ?? {};
      return { vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: Boolean(info.isFallbackAdapter ?? a.isFallbackAdapter) };
    });
    log(`chromium ${context.browser()?.version() ?? ''} at ${executablePath}`);
    if (adapter.error) throw new Error(`WebGPU unavailable in Chromium: ${adapter.error}`);
    log(`WebGPU adapter: ${adapter.vendor} ${adapter.architecture}${adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`);
    if (process.env.LAB_E2E_GPU === '1' && adapter.isFallbackAdapter) {
      throw new Error('LAB_E2E_GPU=1 requires a real GPU, but Chromium only offers a fallback (software) adapter');
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function runSpecs(files, baseUrl) {
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-timeout=600000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${join(resultsDir, 'junit.xml')}`,
    ...files,
  ];
  return new Promise((resolveCode) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_BASE_URL: baseUrl } });
    child.on('exit', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const args = process.argv.slice(2);
  const files = specFiles(args);
  if (!files.length) throw new Error('no spec files in tests/e2e');
  // Start from an empty artifacts folder, so everything in it belongs to this run.
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  // The e2e build has the page's test hooks (a way to lose the worker's GPU device: device-loss.spec.mjs).
  process.env.VITE_LAB_TEST_HOOKS = '1';
  const input = pages(args.includes('--fixtures-only'));
  log(`building ${Object.keys(input).join(', ')}`);
  const started = Date.now();
  const server = await buildAndServe(input);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s; serving ${relative(root, server.outDir)} at ${server.baseUrl}`);
  try {
    await preflight(server.baseUrl);
    log(`running ${files.map((f) => relative(root, f)).join(', ')}`);
    return await runSpecs(files, server.baseUrl);
  } finally {
    await server.close();
  }
}

main().then(
  (code) => {
    log(code === 0 ? 'all e2e tests passed' : `e2e tests FAILED (exit ${code}); artifacts in test-results/e2e/`);
    process.exit(code);
  },
  (err) => {
    console.error(`[e2e] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
