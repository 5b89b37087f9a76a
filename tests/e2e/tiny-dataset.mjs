// A tiny YOLO dataset folder for the page's folder import: the first 8 train and 4 val images of the bundled set.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 8 train and 4 val images of the bundled set, as a YOLO folder the page imports through its folder picker. */
export function tinyDataset() {
  const root = mkdtempSync(join(tmpdir(), 'lab-e2e-tiny-'));
  const source = join('public', 'data', 'vehicles');
  for (const [split, count] of [['train', 8], ['val', 4]]) {
    for (const kind of ['images', 'labels']) mkdirSync(join(root, kind, split), { recursive: true });
    for (let i = 0; i < count; i++) {
      const stem = `${split}_${String(i).padStart(5, '0')}`;
      copyFileSync(join(source, 'images', split, `${stem}.jpg`), join(root, 'images', split, `${stem}.jpg`));
      copyFileSync(join(source, 'labels', split, `${stem}.txt`), join(root, 'labels', split, `${stem}.txt`));
    }
  }
  writeFileSync(join(root, 'data.yaml'), 'train: images/train\nval: images/val\nnc: 4\nnames: [motorcycle, car, bus, truck]\n');
  return root;
}

/** Imports the tiny dataset into an opened page, clicks Train (or `button`) once it is enabled, and waits for the Charts tab. */
export async function trainOnTinyDataset(page, button = 'Train') {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Import a dataset folder (YOLO or COCO)').setInputFiles(tinyDataset());
  await page.getByRole('table', { name: 'Boxes per class' }).waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('button')].find((b) => b.textContent === 'Train')?.disabled, null, { timeout: 60_000 });
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('tab', { name: 'Charts', selected: true }).waitFor();
}
