// run.mjs builds these pages for the e2e suite.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../src/bench/serve.mjs';

/** Every page to build: the app (once src/ui exists) and each fixture page under tests/e2e/fixtures/. */
export function pages(fixturesOnly) {
  const input = {};
  if (!fixturesOnly && existsSync(join(root, 'src', 'ui', 'main.tsx'))) input.app = join(root, 'index.html');
  const fixtures = join(root, 'tests', 'e2e', 'fixtures');
  for (const name of readdirSync(fixtures)) {
    const html = join(fixtures, name, 'index.html');
    if (existsSync(html)) input[`fixture-${name}`] = html;
  }
  return input;
}
