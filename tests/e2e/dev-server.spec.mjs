// No lost first click: under `npm run dev` from an empty Vite cache, the first Train click starts a run. Vite must not
// reload the page to pre-bundle a dependency it found late (vite.config.ts lists them all in optimizeDeps).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { e2e, openPage } from './harness.mjs';
import { startDevServer } from './dev-server.mjs';

const FIRST_STEP_MS = 60_000;
const FIRST_POINT_MS = 180_000;
let dev;

before(async () => {
  dev = await startDevServer();
});
after(async () => {
  await dev?.close();
});

const pointsIn = (page, tag) => page.getByRole('region', { name: tag, exact: true }).locator('.chart-plot').getAttribute('data-points');

test('from an empty Vite cache, the first Train click starts a run', e2e(async (t) => {
  // The page's defaults (Quick, Auto), one epoch so the run is short.
  const { page, log } = await openPage(t, '?epochs=1', dev.baseUrl);
  // A full page load (Vite's reload); the page's own hash changes (tab, chart options) are same-document navigations.
  let reloads = 0;
  page.on('load', () => reloads++);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Train')?.disabled, null, { timeout: 120_000 });
  const clicked = Date.now();
  await train.click();
  await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor({ timeout: FIRST_STEP_MS });
  await page.waitForFunction(() => /Iter\s*[1-9]/.test(document.querySelector('[aria-label="Training status"]')?.textContent ?? ''), null, { timeout: FIRST_STEP_MS });
  const firstStep = Date.now() - clicked;
  await page.getByRole('tab', { name: 'Charts' }).click();
  while (!(Number(await pointsIn(page, 'train/box_loss').catch(() => 0)) > 0)) {
    assert.ok(Date.now() - clicked < FIRST_POINT_MS, `no train/box_loss point within ${FIRST_POINT_MS / 1000} s of the click`);
    await page.waitForTimeout(500);
  }
  const firstPoint = Date.now() - clicked;
  assert.equal(reloads, 0, `the page reloaded after the click:\n${log.slice(-20).join('\n')}`);
  t.diagnostic(`first step ${(firstStep / 1000).toFixed(1)} s, first train/box_loss point ${(firstPoint / 1000).toFixed(1)} s after the click`);
}));
