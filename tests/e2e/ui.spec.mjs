// The lab page, driven by role and accessible name as a user would: the four backbones' seed totals, a YAML error
// shown at its line, a tiny training run whose points reach all four chart groups, persistence across a reload, and
// results.csv export. Screenshots of every tab at 1280×800 and 1920×1080 are kept under test-results/e2e/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2e, openPage, requireRealGpu } from './harness.mjs';
import { tinyDataset } from './tiny-dataset.mjs';

const SEED_TOTALS = {
  'CSPDarknet (yolov4-csp)': '52,515,505',
  'ResNet-50': '50,639,761',
  'ResNeXt-50 (32×4d)': '50,111,633',
  'SE-ResNet-50': '53,170,753',
};
const ONE_TAG_PER_GROUP = ['train/box_loss', 'val/box_loss', 'metrics/mAP_0.5', 'x/lr0'];
const RESULTS_COLUMNS = 'epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2';
// A tiny run: scale n, 64 px, one epoch of two batches of 4, so SwiftShader finishes it in about a minute.
// WebGPU selected explicitly: the page defaults to Auto, which picks WebAssembly on SwiftShader.
const TINY_RUN = '?scale=n&img=64&batch=4&epochs=1&backend=webgpu';
const TRAIN_TIMEOUT_MS = 8 * 60_000;

async function screenshots(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(dir, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const pointsIn = (page, tag) => page.getByRole('region', { name: tag, exact: true }).locator('.chart-plot').getAttribute('data-points');

test('every control has its accessible name', e2e(async (t) => {
  const { page } = await openPage(t, '');
  await page.getByRole('combobox', { name: 'Backbone' }).waitFor();
  const scales = await page.getByRole('combobox', { name: 'Scale' }).locator('option').allTextContents();
  assert.deepEqual(scales, ['n', 's', 'm', 'l']);
  await page.getByRole('spinbutton', { name: 'Image size' }).waitFor();
  for (const name of ['Train', 'Pause', 'Resume', 'Stop', 'Step']) await page.getByRole('button', { name, exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Charts' }).click();
  for (const tag of ONE_TAG_PER_GROUP) await page.getByRole('region', { name: tag, exact: true }).waitFor();
}));

test('without a hardware GPU, Auto says it trains on WebAssembly and why', e2e(async (t) => {
  const { page } = await openPage(t, '');
  const line = page.getByLabel('Backend choice');
  await line.filter({ hasNotText: 'looking for a GPU' }).waitFor();
  const text = await line.textContent();
  t.diagnostic(text);
  if (requireRealGpu) {
    assert.match(text, /^Auto: WebGPU on /);
  } else {
    assert.match(text, /^Auto: WebAssembly \(CPU threads\)\. No hardware GPU adapter .*software emulation/);
    assert.match(await page.locator('.app-header .badge').textContent(), /Will train on WebAssembly/);
  }
}));

test('each backbone shows its seed total at scale l', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, '?scale=l');
  const total = page.getByLabel('Model total');
  for (const [label, seedTotal] of Object.entries(SEED_TOTALS)) {
    await page.getByRole('combobox', { name: 'Backbone' }).selectOption({ label });
    await page.waitForFunction((expected) => document.querySelector('[aria-label="Model total"]')?.textContent?.includes(expected), seedTotal);
    assert.match(await total.textContent(), new RegExp(seedTotal));
    await page.getByText('Equals the seed’s total').waitFor();
  }
  await page.getByRole('combobox', { name: 'Backbone' }).selectOption({ label: 'ResNet-50' });
  await page.getByRole('table', { name: /Parameters per stage/ }).waitFor();
  await screenshots(page, artifactsDir, 'model');
}));

test('a broken YAML shows its error at the line', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, '?backbone=yolov4-resnet50');
  const editor = page.getByRole('textbox', { name: 'Model YAML' });
  await page.waitForFunction(() => document.querySelector('textarea[aria-label="Model YAML"]')?.value.includes('resLayer'));
  const text = await editor.inputValue();
  const lines = text.split('\n');
  const broken = lines.findIndex((line) => line.includes('resLayer, [128'));
  assert.ok(broken >= 0, 'the ResNet YAML has a resLayer row');
  lines[broken] = lines[broken].replace('resLayer', 'resLayr');
  await editor.fill(lines.join('\n'));
  const errors = page.getByRole('list', { name: 'Model YAML errors' });
  await errors.waitFor();
  const message = await errors.textContent();
  assert.match(message, new RegExp(`Line ${broken + 1}\\b`));
  assert.match(message, /resLayr/);
  assert.equal(await editor.getAttribute('aria-invalid'), 'true');
  await screenshots(page, artifactsDir, 'yaml-error');
}));

test('a tiny run sends points to all four chart groups', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, TINY_RUN);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Import a dataset folder (YOLO or COCO)').setInputFiles(tinyDataset());
  await page.getByText(/Folder \(\d+ files\)/).waitFor();
  await page.getByRole('table', { name: 'Boxes per class' }).waitFor();
  await screenshots(page, artifactsDir, 'data');
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Train')?.disabled, null, { timeout: 60_000 });
  await train.click();
  await page.getByRole('tab', { name: 'Charts', selected: true }).waitFor();
  await page.getByTestId('run-status').filter({ hasText: /done|failed|stopped/ }).waitFor({ timeout: TRAIN_TIMEOUT_MS });
  assert.equal(await page.getByTestId('run-status').textContent(), 'done', await page.getByRole('log', { name: 'Messages' }).textContent().catch(() => ''));
  for (const tag of ONE_TAG_PER_GROUP) assert.ok(Number(await pointsIn(page, tag)) > 0, `no points in ${tag}`);
  const backend = await page.getByRole('region', { name: 'Training status' }).innerText();
  assert.match(backend, /WebGPU/);
  if (requireRealGpu) assert.doesNotMatch(backend, /fallback/, 'LAB_E2E_GPU=1 needs a real GPU');
  t.diagnostic(backend.replace(/\s+/g, ' '));
  await screenshots(page, artifactsDir, 'charts');
  await page.getByRole('tab', { name: 'Predictions' }).click();
  await page.getByRole('region', { name: 'Confusion matrix' }).waitFor();
  await screenshots(page, artifactsDir, 'predictions');
}));

test('the run persists across a reload; results.csv, run file and chart exports work', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, TINY_RUN);
  await page.getByRole('tab', { name: /Runs/ }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  await table.waitFor();
  assert.match(await table.textContent(), /ResNet-50-n/);
  assert.match(await table.textContent(), /done/);
  await screenshots(page, artifactsDir, 'runs');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Download results\.csv of/ }).first().click(),
  ]);
  assert.equal(download.suggestedFilename(), 'results.csv');
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0].split(',').map((c) => c.trim()).join(','), RESULTS_COLUMNS);
  assert.equal(csv.length, 2, 'one epoch → one row');
  assert.ok(csv[1].split(',').slice(1).every((cell) => Number.isFinite(Number(cell))), csv[1]);
  const [runZip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export ResNet-50-n/ }).first().click()]);
  const zipPath = join(artifactsDir, 'run.zip');
  await runZip.saveAs(zipPath);
  await page.getByLabel('Import a run file').setInputFiles(zipPath);
  await page.getByText(/\(imported\)/).waitFor();

  await page.getByRole('tab', { name: 'Charts' }).click();
  for (const tag of ONE_TAG_PER_GROUP) assert.ok(Number(await pointsIn(page, tag)) > 0, `no points in ${tag} after reload`);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export train/box_loss as SVG' }).click()]);
  assert.equal(svg.suggestedFilename(), 'train_box_loss.svg');
  const svgText = readFileSync(await svg.path(), 'utf8');
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /train\/box_loss/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export metrics/mAP_0.5 as PNG' }).click()]);
  assert.equal(png.suggestedFilename(), 'metrics_mAP_0.5.png');
  assert.deepEqual([...readFileSync(await png.path()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
}));
