/**
 * Benchmark rows in headless Chromium (`--backend chromium:webgpu|chromium:wasm|chromium:webgl`): builds
 * src/bench/browser/ with Vite, serves it, and lets a module worker run the same benchRow() as Node does.
 * Without a GPU, chromium:webgpu is SwiftShader: it proves the path, not the speed.
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumExecutable } from './chromium.mjs';
import { buildAndServe, root } from './serve.mjs';
import type { BrowserBenchEvent, BrowserBenchRequest } from './browser/protocol';
import { YAML_MODELS } from './subjects';
import type { BenchRow, RowSettings } from './train-bench';

export const BROWSER_PREFIX = 'chromium:';

export async function browserBenchRows(
  jobs: { model: string; scale: string }[],
  settings: RowSettings,
  onRow: (row: BenchRow) => void,
): Promise<void> {
  const request: BrowserBenchRequest = {
    jobs: jobs.map((j) => {
      const yamlFile = YAML_MODELS[j.model];
      if (!yamlFile) throw new Error(`the browser benchmark runs the YAML models only, not '${j.model}'`);
      return { ...j, yamlFile };
    }),
    settings,
  };
  const server = await buildAndServe({ bench: join(root, 'src', 'bench', 'browser', 'index.html') }, 'bench');
  const context = await chromium.launchPersistentContext('', { executablePath: chromiumExecutable(), headless: true, args: chromiumArgs() });
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || process.env.LAB_DEBUG) console.error(`[bench:chromium] ${m.text()}`);
    });
    await page.goto(`${server.baseUrl}src/bench/browser/#${encodeURIComponent(JSON.stringify(request))}`);
    let seen = 0;
    for (;;) {
      await page.waitForFunction((n) => {
        const s = (window as unknown as { __bench?: { events: unknown[]; finished: boolean } }).__bench;
        return s && (s.events.length > n || s.finished);
      }, seen, { timeout: 0, polling: 500 });
      const events = (await page.evaluate(() => (window as unknown as { __bench: { events: BrowserBenchEvent[] } }).__bench.events)).slice(seen);
      seen += events.length;
      for (const event of events) {
        if (event.type === 'row') onRow({ ...event.row, backend: `chromium:${event.row.backend}` });
        if (event.type === 'error') throw new Error(`browser benchmark: ${event.message}`);
        if (event.type === 'done') return;
      }
    }
  } finally {
    await context.close();
    await server.close();
  }
}
