// "Train all four backbones" as a teacher uses it: four runs one after another, each listed *done*, the status naming
// the backbone and its place in the queue, and every chart overlaying the four runs. Its own spec file, so the run
// list starts empty. Tiny settings on the page's wasm backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2e, openPage } from './harness.mjs';
import { trainOnTinyDataset } from './tiny-dataset.mjs';

const QUEUE_TIMEOUT_MS = 10 * 60_000;
const seriesIn = (page, tag) => page.getByRole('region', { name: tag, exact: true }).locator('.chart-plot').getAttribute('data-series');

test('Train all four backbones: four done runs, the queue position in the status, every Runs action on screen at 1280, four series per chart', e2e(async (t) => {
  const { page } = await openPage(t, '?scale=n&img=64&batch=4&epochs=1&backend=wasm');
  await trainOnTinyDataset(page, 'Train all four backbones');

  // Watch the queue line until the fourth run is done.
  const seen = new Set();
  const started = Date.now();
  for (;;) {
    const text = await page.getByTestId('queue-status').textContent({ timeout: 1000 }).catch(() => '');
    const position = /Training (\d) of 4: (CSPDarknet|ResNet-50|ResNeXt-50|SE-ResNet-50)/.exec(text ?? '');
    if (position) seen.add(`${position[1]} ${position[2]}`);
    const done = await page.evaluate(() => [...document.querySelectorAll('table[aria-label="Runs"] .status-pill.done')].length);
    const status = await page.getByTestId('run-status').textContent();
    if (seen.size > 0 && status === 'done' && !text) break;
    assert.ok(Date.now() - started < QUEUE_TIMEOUT_MS, `the queue did not finish: seen ${[...seen].join(', ')}; done rows ${done}`);
    await page.waitForTimeout(250);
  }
  t.diagnostic(`queue positions seen: ${[...seen].join(', ')}`);
  assert.ok(seen.has('1 CSPDarknet'), 'never saw "Training 1 of 4: CSPDarknet"');
  assert.ok(seen.has('4 SE-ResNet-50'), 'never saw "Training 4 of 4: SE-ResNet-50"');

  await page.getByRole('tab', { name: /Runs/ }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  await table.waitFor();
  const statuses = await table.locator('.status-pill').allTextContents();
  assert.deepEqual(statuses, ['done', 'done', 'done', 'done'], `run statuses: ${statuses.join(', ')}`);

  // At 1280×800 (the harness's viewport) with four runs listed, every action of every run is on screen: no sideways
  // scrolling, of the page or of the table's own box.
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('table[aria-label="Runs"] button')]
      .map((b) => ({ name: b.getAttribute('aria-label') ?? b.textContent, box: b.getBoundingClientRect() }))
      .filter(({ box }) => box.left < 0 || box.right > window.innerWidth || box.width === 0)
      .map(({ name, box }) => `${name} at ${Math.round(box.left)}–${Math.round(box.right)}`),
  );
  assert.equal(await page.evaluate(() => window.innerWidth), 1280);
  const boxScroll = await page.evaluate(() => {
    let box = document.querySelector('table[aria-label="Runs"]')?.parentElement;
    while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    return box ? { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth } : null;
  });
  if (boxScroll) assert.ok(boxScroll.scrollWidth <= boxScroll.clientWidth + 1, `the Runs table scrolls sideways in its box: ${JSON.stringify(boxScroll)}`);
  assert.deepEqual(outside, [], `Runs actions outside the 1280 px viewport: ${outside.join('; ')}`);
  const actions = await table.getByRole('button').count();
  assert.ok(actions >= 4 * 5, `expected the actions of four runs, found ${actions} buttons`);

  await page.getByRole('tab', { name: 'Charts' }).click();
  for (const tag of ['train/box_loss', 'metrics/mAP_0.5', 'x/lr0']) assert.equal(await seriesIn(page, tag), '4', `series in ${tag}`);
}));
