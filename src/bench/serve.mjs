// Builds pages with Vite and serves them with `vite preview` on a free localhost port: the browser benchmark's page
// (src/bench/browser.ts) and the e2e suite's app and fixture pages (tests/e2e/run.mjs).
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Builds `input` (name → html file) into node_modules/.cache/lab-e2e/<buildName> and serves it; resolves with the
 * base URL and a close function. Separate build names let the e2e suite and the browser benchmark run side by side.
 */
export async function buildAndServe(input, buildName = 'dist') {
  const outDir = join(root, 'node_modules', '.cache', 'lab-e2e', buildName);
  const configFile = join(root, 'vite.config.ts');
  await build({ root, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input } } });
  const port = await freePort();
  const server = await preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  return { baseUrl: `http://127.0.0.1:${port}/`, outDir, close: () => server.close() };
}
