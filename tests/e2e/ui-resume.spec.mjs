// A run cut off by a page reload, as a user would meet it: the page's wasm fallback trains it (threaded in this
// cross-origin isolated page), the reload kills the worker mid-run, the Runs tab shows the run as interrupted, and
// Resume continues it from its last epoch checkpoint to the end. Its own spec file, so it starts with an empty store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2e, openPage } from './harness.mjs';
import { trainOnTinyDataset } from './tiny-dataset.mjs';

const EPOCHS = 4;
const RUN_TIMEOUT_MS = 8 * 60_000;
const pointsIn = (page, tag) => page.getByRole('region', { name: tag, exact: true }).locator('.chart-plot').getAttribute('data-points');
const messages = (page) => page.getByRole('log', { name: 'Messages' }).textContent().catch(() => '');

test('a run cut off by a reload shows as interrupted and resumes from its checkpoint on threaded wasm', e2e(async (t) => {
  const { page } = await openPage(t, `?scale=n&img=64&batch=2&epochs=${EPOCHS}&backend=wasm`);
  await trainOnTinyDataset(page);

  const statusPanel = page.getByRole('region', { name: 'Training status' });
  await statusPanel.getByText(/WebAssembly \(CPU\) · \d+ threads?/).waitFor({ timeout: 120_000 });
  const status = await statusPanel.innerText();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) assert.ok(Number(/· (\d+) thread/.exec(status)[1]) > 1, `wasm is single-threaded on ${cores} cores: ${status}`);
  t.diagnostic(status.replace(/\s+/g, ' '));

  // The first epoch ends with its validation point and then its checkpoint; the next epoch's first step comes after
  // the checkpoint is stored. Cut the run off there.
  const plotted = (tag) => Number(document.querySelector(`[aria-label="${tag}"] .chart-plot`)?.getAttribute('data-points') ?? 0);
  await page.waitForFunction(`(${plotted})('metrics/mAP_0.5') > 0`, null, { timeout: RUN_TIMEOUT_MS, polling: 100 });
  const stepsInFirstEpoch = Number(await pointsIn(page, 'train/box_loss'));
  await page.waitForFunction(`(${plotted})('train/box_loss') > ${stepsInFirstEpoch}`, null, { timeout: RUN_TIMEOUT_MS, polling: 100 });
  assert.equal(await page.getByTestId('run-status').textContent(), 'running', 'the run ended before it could be interrupted');
  await page.reload();

  await page.getByRole('tab', { name: /Runs/ }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  await table.getByText('interrupted').waitFor();
  await page.getByRole('button', { name: /^Resume / }).first().click();
  await page.getByTestId('run-status').filter({ hasText: /done|failed|stopped/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await page.getByTestId('run-status').textContent(), 'done', await messages(page));
  assert.match(await messages(page), /Resumed from the checkpoint at epoch \d+/);

  // Every epoch has its validation point: the part before the reload and the resumed part make one run.
  await page.getByRole('tab', { name: 'Charts' }).click();
  assert.equal(Number(await pointsIn(page, 'metrics/mAP_0.5')), EPOCHS);
}));
