// The page on a phone (390×844): no tab scrolls sideways, the main column keeps a readable width, and nothing reaches
// past the viewport except inside its own scroll box. Screenshots of every tab at 390×844, and of the
// Model tab at 1280×800, go to test-results/e2e/ (docs/ui.md shows two of them).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2e, openPage } from './harness.mjs';

const TABS = ['Model', 'Data', 'Charts', 'Predictions', 'Learn', 'Runs'];

/** Elements whose right edge passes the viewport and that no ancestor scroll box (overflow auto/scroll) contains. */
function escapees() {
  const width = window.innerWidth;
  const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5) continue;
    let parent = el.parentElement;
    let contained = false;
    while (parent && parent !== document.body) {
      if (scrolls(parent) && parent.getBoundingClientRect().right <= width + 0.5) { contained = true; break; }
      parent = parent.parentElement;
    }
    if (!contained) found.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
  }
  return found.slice(0, 10);
}

test('at 390×844 no tab scrolls sideways and the main column is at least 300 px', e2e(async (t) => {
  const { page, artifactsDir } = await openPage(t, '');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('combobox', { name: 'Backbone' }).waitFor();
  mkdirSync(artifactsDir, { recursive: true });
  for (const name of TABS) {
    await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
    await page.waitForTimeout(400);
    const { scrollWidth, innerWidth, mainWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      mainWidth: document.querySelector('.main')?.getBoundingClientRect().width ?? 0,
    }));
    assert.ok(scrollWidth <= innerWidth, `${name} tab: page is ${scrollWidth} px wide in a ${innerWidth} px viewport`);
    assert.ok(mainWidth >= 300, `${name} tab: main column is ${mainWidth} px wide`);
    assert.deepEqual(await page.evaluate(escapees), [], `${name} tab: elements past the viewport outside a scroll box`);
    await page.screenshot({ path: join(artifactsDir, `layout-${name.toLowerCase()}-390x844.png`) });
  }
  // The same page at 1280×800, two columns again, for docs/ui.md.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('tab', { name: /^Model/ }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(artifactsDir, 'layout-model-1280x800.png') });
}));
