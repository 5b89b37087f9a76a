// Where Chromium is and how it is started: the browser benchmark (browser.ts) and the e2e suite (tests/e2e) use it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** CHROMIUM_PATH, else `chromium` (Debian's package) on PATH. Throws, loudly, when neither exists. */
export function chromiumExecutable() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    accessSync(fromEnv, constants.X_OK);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  throw new Error('Chromium not found: install Debian\'s `chromium` (bash scripts/setup.sh) or set CHROMIUM_PATH');
}

/**
 * --enable-unsafe-webgpu gives navigator.gpu (SwiftShader without a GPU); --no-sandbox because CI runs as root; the
 * rest keep a headless run quiet and offline. With LAB_E2E_GPU=1, also use the GPU even if it is blocklisted.
 */
export function chromiumArgs() {
  const args = [
    '--enable-unsafe-webgpu',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  if (process.env.LAB_E2E_GPU === '1') args.push('--ignore-gpu-blocklist', '--enable-features=Vulkan');
  return args;
}
