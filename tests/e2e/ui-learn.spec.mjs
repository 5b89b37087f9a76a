// The Learn tab after a tiny run: its anchor view's best possible recall before and after AutoAnchor equals what the
// worker reported when the run started, its label count equals the label files' lines, and target assignment and
// object size show their numbers. Then the form's experiment: "Run AutoAnchor" reports a recall that the view shows.
// Its own spec file (a fresh run list). Tiny settings on the page's wasm backend.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2e, openPage } from './harness.mjs';
import { tinyDataset } from './tiny-dataset.mjs';

const TRAIN_TIMEOUT_MS = 5 * 60_000;

test('Learn tab: anchors, recall before and after AutoAnchor as the worker reported it, target assignment, object size', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, '?backbone=yolov4-resnet50&scale=n&img=64&batch=4&epochs=1&backend=wasm');
  const root = tinyDataset();
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Import a dataset folder (YOLO or COCO)').setInputFiles(root);
  await page.getByRole('table', { name: 'Boxes per class' }).waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Train')?.disabled, null, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('run-status').filter({ hasText: /done|failed|stopped/ }).waitFor({ timeout: TRAIN_TIMEOUT_MS });
  assert.equal(await page.getByTestId('run-status').textContent(), 'done');

  // What the worker said when the run started.
  const messages = await page.getByRole('log', { name: 'Messages' }).textContent();
  const reported = /best possible recall (\d\.\d{4}) → (\d\.\d{4})/.exec(messages ?? '');
  assert.ok(reported, `no AutoAnchor message among: ${messages}`);
  t.diagnostic(`worker: AutoAnchor ${reported[1]} → ${reported[2]}`);

  await page.getByRole('tab', { name: 'Learn' }).click();
  const explain = page.getByRole('combobox', { name: 'Explain' });
  const runOption = await explain.locator('option', { hasText: 'run:' }).first().getAttribute('value');
  await explain.selectOption(runOption);
  const anchors = page.getByRole('region', { name: 'Anchors' });
  await anchors.getByTestId('bpr').waitFor();
  // The run trained on the dataset the Data tab shows: no warning that the labels are another set's.
  assert.equal(await page.getByText('the labels shown are the Data tab').count(), 0);
  assert.equal(await anchors.getByTestId('bpr-start').textContent(), reported[1], 'recall with the YAML anchors');
  assert.equal(await anchors.getByTestId('bpr').textContent(), reported[2], 'recall with the run’s anchors');

  // Every training label is counted: the train label files' lines.
  const labelDir = join(root, 'labels', 'train');
  const lines = readdirSync(labelDir).reduce((sum, f) => sum + readFileSync(join(labelDir, f), 'utf8').split('\n').filter((l) => l.trim()).length, 0);
  assert.equal(Number(await anchors.getByTestId('anchor-labels').textContent()), lines);
  const unreachable = Number(await anchors.getByTestId('unreachable').textContent());
  assert.equal(unreachable, Math.round(lines * (1 - Number(reported[2]))), 'unreachable labels = labels × (1 − recall)');
  await anchors.screenshot({ path: join(artifactsDir, 'learn-anchors.png') });

  // Target assignment: the canvas names its positives; the per-level counts add up to the per-box table's cells.
  const assignment = page.getByRole('region', { name: 'Target assignment' });
  const counts = {};
  for (const level of ['P3', 'P4', 'P5']) counts[level] = Number(await assignment.getByTestId(`positives-${level}`).textContent());
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.ok(total > 0, `no positives: ${JSON.stringify(counts)}`);
  const cells = await assignment.getByRole('table', { name: 'Positives per box' }).locator('td').allTextContents();
  const tableTotal = cells.map((c) => /· (\d+)$/.exec(c)?.[1]).filter(Boolean).reduce((a, b) => a + Number(b), 0);
  assert.equal(tableTotal, total, 'the per-box table lists every positive');
  assert.match(await assignment.getByRole('img').getAttribute('aria-label'), new RegExp(`P3 grid with ${counts.P3} positive cells`));
  await assignment.screenshot({ path: join(artifactsDir, 'learn-assignment.png') });

  // Object size: strides 8/16/32 with growing receptive fields; every label counted on one level.
  const size = page.getByRole('region', { name: 'Object size and receptive field' });
  const fields = [];
  let boxes = 0;
  for (const level of ['P3', 'P4', 'P5']) {
    fields.push(Number(await size.getByTestId(`rf-${level}`).textContent()));
    boxes += Number(await size.getByTestId(`boxes-${level}`).textContent());
  }
  assert.ok(fields[0] < fields[1] && fields[1] < fields[2], `receptive fields ${fields}`);
  assert.equal(boxes, lines);
  await size.screenshot({ path: join(artifactsDir, 'learn-size.png') });

  // The form's experiment: AutoAnchor on demand; the view then shows the recall its note reports.
  await explain.selectOption('form');
  await anchors.getByRole('button', { name: 'Run AutoAnchor on these labels' }).click();
  const note = await anchors.getByTestId('autoanchor-note').textContent();
  const found = /best possible recall (\d\.\d{4}) → (\d\.\d{4})/.exec(note ?? '');
  if (found) {
    assert.equal(await anchors.getByTestId('bpr-start').textContent(), found[1]);
    assert.equal(await anchors.getByTestId('bpr').textContent(), found[2]);
  } else {
    assert.match(note ?? '', /keeping the YAML's anchors/);
  }
  t.diagnostic(`form: ${note}`);
}));
