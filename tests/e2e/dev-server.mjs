// `npm run dev` as a new user starts it: Vite's dev server from an empty dependency cache, so the pre-bundling of
// tfjs and the rest happens while the page is in use. The cache goes to its own folder (removed first), so a dev
// server the user has running keeps its own.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { root } from '../../src/bench/serve.mjs';

export async function startDevServer() {
  const cacheDir = join(root, 'node_modules', '.vite-e2e-dev');
  rmSync(cacheDir, { recursive: true, force: true });
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    cacheDir,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server has no port');
  return { baseUrl: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
