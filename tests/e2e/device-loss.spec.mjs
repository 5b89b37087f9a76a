// A real device loss on WebGPU: the worker's GPUDevice is destroyed mid-run (through the e2e build's test hook, as
// a driver reset would end it). The page must show the cause, keep every logged point (in IndexedDB too: a reload
// shows them), and Resume must continue from the last checkpoint in a fresh worker to the end of the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2e, openPage } from './harness.mjs';
import { trainOnTinyDataset } from './tiny-dataset.mjs';

const EPOCHS = 3;
const RUN_TIMEOUT_MS = 300_000;
const pointsIn = (page, tag) => page.getByRole('region', { name: tag, exact: true }).locator('.chart-plot').getAttribute('data-points');
const messages = (page) => page.getByRole('log', { name: 'Messages' }).textContent().catch(() => '');
const plotted = (tag) => Number(document.querySelector(`[aria-label="${tag}"] .chart-plot`)?.getAttribute('data-points') ?? 0);

test('a lost GPU device pauses the run with its cause, loses no point, and Resume finishes it', e2e(async (t) => {
  const { page } = await openPage(t, `?scale=n&img=64&batch=2&epochs=${EPOCHS}&backend=webgpu`);
  await trainOnTinyDataset(page);
  await page.getByRole('region', { name: 'Training status' }).getByText(/WebGPU ·/).waitFor({ timeout: 120_000 });

  // After the first epoch's checkpoint, one step into the second epoch: lose the device there.
  await page.waitForFunction(`(${plotted})('metrics/mAP_0.5') > 0`, null, { timeout: RUN_TIMEOUT_MS, polling: 100 });
  const firstEpochSteps = Number(await pointsIn(page, 'train/box_loss'));
  await page.waitForFunction(`(${plotted})('train/box_loss') > ${firstEpochSteps}`, null, { timeout: RUN_TIMEOUT_MS, polling: 100 });
  assert.equal(await page.getByTestId('run-status').textContent(), 'running', 'the run ended before the device could be lost');
  await page.evaluate(() => window.labTestHooks.loseDevice());

  await page.getByTestId('run-status').filter({ hasText: 'paused' }).waitFor({ timeout: 60_000 });
  assert.match(await messages(page), /GPU device lost: .*simulated by a test.*The run is paused; resume continues from its last checkpoint/);
  const stepsBeforeLoss = Number(await pointsIn(page, 'train/box_loss'));
  assert.ok(stepsBeforeLoss > firstEpochSteps);
  t.diagnostic(`steps logged before the loss: ${stepsBeforeLoss} (first epoch: ${firstEpochSteps})`);

  // Every point logged before the loss is stored: a reload shows the same count.
  await page.reload();
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.waitForFunction(`(${plotted})('train/box_loss') > 0`, null, { timeout: 60_000, polling: 100 });
  assert.equal(Number(await pointsIn(page, 'train/box_loss')), stepsBeforeLoss);

  await page.getByRole('tab', { name: /Runs/ }).click();
  await page.getByRole('button', { name: /^Resume / }).first().click();
  await page.getByTestId('run-status').filter({ hasText: /done|failed|stopped/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
  assert.equal(await page.getByTestId('run-status').textContent(), 'done', await messages(page));
  assert.match(await messages(page), /Resumed from the checkpoint at epoch 1/);
  await page.getByRole('tab', { name: 'Charts' }).click();
  assert.equal(Number(await pointsIn(page, 'metrics/mAP_0.5')), EPOCHS);
}));
