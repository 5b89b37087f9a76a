#!/usr/bin/env node
// Draws the time-to-mAP curves (mAP@0.5 against wall time) of finished benchmark runs as one SVG, and prints their
// summary as a Markdown table for the README.
//   node scripts/time-to-map/plot.mjs <out.svg> [label=]<run dir> ...
// Each run dir holds results.csv (one row per epoch) and train.log (the `lab train` output, whose epoch lines end
// with the wall time since the start, e.g. "| 14m41s").
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const GOAL = 0.5;
const TITLE = 'Time to mAP: scale n, 128 px, batch 16, bundled vehicle set, wasm on one CPU thread';

function parseDuration(text) {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === '') throw new Error(`not a duration: '${text}'`);
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) / 60;
}

/** [{ epoch, minutes, map50, map }] from a run folder. */
function readRun(dir) {
  const [header, ...rows] = readFileSync(`${dir}/results.csv`, 'utf8').trim().split('\n').map((l) => l.split(','));
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${dir}/results.csv has no ${name} column`);
    return i;
  };
  const [map50Col, mapCol] = [col('metrics/mAP_0.5'), col('metrics/mAP_0.5:0.95')];
  const minutesByEpoch = new Map();
  // Progress bars rewrite their line with \r; epoch summaries are whole lines.
  for (const line of readFileSync(`${dir}/train.log`, 'utf8').split(/[\r\n]+/)) {
    const m = /^epoch (\d+): .*\| (\S+)$/.exec(line.trim());
    if (m) minutesByEpoch.set(Number(m[1]), parseDuration(m[2]));
  }
  return rows.map((r) => {
    const epoch = Number(r[0]);
    const minutes = minutesByEpoch.get(epoch);
    if (minutes === undefined) throw new Error(`${dir}/train.log has no summary line for epoch ${epoch}`);
    return { epoch, minutes, map50: Number(r[map50Col]), map: Number(r[mapCol]) };
  });
}

function summary(name, points) {
  const best = points.reduce((a, p) => (p.map50 > a.map50 ? p : a), points[0]);
  const reached = points.find((p) => p.map50 >= GOAL);
  return { name, best, reached, epochs: points.length, minutes: points.at(-1).minutes };
}

const fmtMin = (m) => `${Math.floor(m)} min ${String(Math.round((m % 1) * 60)).padStart(2, '0')} s`;

function svg(runs) {
  const [W, H, left, right, top, bottom] = [800, 400, 56, 230, 40, 44];
  const maxMin = Math.max(60, ...runs.flatMap((r) => r.points.map((p) => p.minutes)));
  const xMax = Math.ceil(maxMin / 10) * 10;
  const yMax = 0.8;
  const x = (m) => left + (m / xMax) * (W - left - right);
  const y = (v) => top + (1 - v / yMax) * (H - top - bottom);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  for (let m = 0; m <= xMax; m += 10) {
    out.push(`<line x1="${x(m)}" y1="${y(0)}" x2="${x(m)}" y2="${y(yMax)}" stroke="#eee"/>`);
    out.push(`<text x="${x(m)}" y="${y(0) + 16}" text-anchor="middle" fill="#444">${m}</text>`);
  }
  for (let v = 0; v <= yMax + 1e-9; v += 0.1) {
    out.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(xMax)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${x(0) - 6}" y="${y(v) + 4}" text-anchor="end" fill="#444">${v.toFixed(1)}</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${y(GOAL)}" x2="${x(xMax)}" y2="${y(GOAL)}" stroke="#888" stroke-dasharray="6 4"/>`);
  out.push(`<line x1="${x(60)}" y1="${y(0)}" x2="${x(60)}" y2="${y(yMax)}" stroke="#888" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${x(0) + 4}" y="${y(GOAL) - 4}" fill="#666">goal: mAP@0.5 ≥ ${GOAL} within 60 min</text>`);
  out.push(`<text x="${left}" y="20" font-size="14" fill="#222">${TITLE}</text>`);
  out.push(`<text x="${(x(0) + x(xMax)) / 2}" y="${H - 8}" text-anchor="middle" fill="#222">wall time (min)</text>`);
  out.push(`<text transform="translate(14 ${(y(0) + y(yMax)) / 2}) rotate(-90)" text-anchor="middle" fill="#222">val mAP@0.5</text>`);
  runs.forEach((run, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const path = run.points.map((p) => `${x(p.minutes).toFixed(1)},${y(Math.min(p.map50, yMax)).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const { best } = run.summary;
    out.push(`<circle cx="${x(best.minutes)}" cy="${y(best.map50)}" r="3.5" fill="${colour}"/>`);
    const ly = top + 14 + i * 36;
    out.push(`<line x1="${W - right + 14}" y1="${ly - 4}" x2="${W - right + 34}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${W - right + 40}" y="${ly}" fill="#222">${run.name}</text>`);
    out.push(`<text x="${W - right + 40}" y="${ly + 15}" fill="#666">best ${best.map50.toFixed(3)} at ${Math.round(best.minutes)} min</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const [outFile, ...dirs] = process.argv.slice(2);
if (!outFile || dirs.length === 0) {
  console.error('usage: node scripts/time-to-map/plot.mjs <out.svg> [label=]<run dir> ...');
  process.exit(2);
}
const runs = dirs.map((arg) => {
  // `label=dir` names a run; a bare dir is named after its folder.
  const [label, dir] = arg.includes('=') ? arg.split('=', 2) : [basename(arg).replace(/^ttm-/, ''), arg];
  const points = readRun(dir);
  return { name: label, points, summary: summary(label, points) };
});
writeFileSync(outFile, svg(runs));
console.log('| backbone | reached mAP@0.5 ≥ 0.5 at | best mAP@0.5 (epoch, wall time) | its mAP@0.5:0.95 | epochs, total wall time |');
console.log('|---|---|---|---|---|');
for (const { summary: s } of runs) {
  const reached = s.reached ? `${fmtMin(s.reached.minutes)} (epoch ${s.reached.epoch})` : 'not reached';
  console.log(`| ${s.name} | ${reached} | **${s.best.map50.toFixed(3)}** (${s.best.epoch}, ${fmtMin(s.best.minutes)}) | ${s.best.map.toFixed(3)} | ${s.epochs}, ${fmtMin(s.minutes)} |`);
}
console.log(`wrote ${outFile}`);
