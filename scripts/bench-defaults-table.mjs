#!/usr/bin/env node
// The table of scripts/bench-defaults.sh: per run folder, the best mAP@0.5 on the bundled val set (results.csv), the
// first epoch that reached 0.5 and the wall time then (from the epoch lines of train.log), and the best weights' mAP@0.5
// on the second val set (val-seed7.json).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const GOAL = 0.5;

const seconds = (text) => [...text.matchAll(/(\d+)([hms])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit], 0);
const clock = (total) => `${Math.floor(total / 60)}m ${String(Math.round(total % 60)).padStart(2, '0')}s`;

/**
 * The training time when `epoch` ended, from the epoch lines ("epoch 7: ... | 9m 41s", the time since that segment
 * started). A run stopped and resumed (`lab train --resume`, logged after a "=== resumed" line) restarts its clock:
 * earlier segments add the time of their last finished epoch (the unfinished one is redone from its checkpoint).
 */
function wallTimeAt(log, epoch) {
  let before = 0;
  for (const segment of log.split(/^=== resumed.*$/m)) {
    const lines = [...segment.matchAll(/^epoch (\d+): .*\| ([^|\n]+)$/gm)].map(([, e, time]) => [Number(e), seconds(time)]);
    const hit = lines.find(([e]) => e === epoch);
    if (hit) return clock(before + hit[1]);
    if (lines.length) before += lines[lines.length - 1][1];
  }
  return undefined;
}
const rows = [['run', 'best mAP@0.5 (epoch)', `first ≥ ${GOAL}: epoch, wall time`, 'best weights on val seed 7']];
for (const dir of process.argv.slice(2)) {
  const csv = join(dir, 'results.csv');
  if (!existsSync(csv)) continue;
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  const col = header.split(',').map((c) => c.trim()).indexOf('metrics/mAP_0.5');
  const maps = lines.map((l) => Number(l.split(',')[col]));
  const best = Math.max(...maps);
  const first = maps.findIndex((m) => m >= GOAL);
  const log = existsSync(join(dir, 'train.log')) ? readFileSync(join(dir, 'train.log'), 'utf8') : '';
  const wall = first < 0 ? undefined : wallTimeAt(log, first);
  const val7 = join(dir, 'val-seed7.json');
  const second = existsSync(val7) ? JSON.parse(readFileSync(val7, 'utf8'))['metrics/mAP_0.5'] : undefined;
  rows.push([
    basename(dir.replace(/\/$/, '')),
    `${best.toFixed(3)} (${maps.indexOf(best)})`,
    first < 0 ? `not reached in ${maps.length} epochs` : `${first}, ${wall ?? '?'}`,
    second === undefined ? '-' : second.toFixed(3),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const [i, r] of rows.entries()) {
  console.log(`| ${r.map((c, j) => c.padEnd(widths[j])).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
