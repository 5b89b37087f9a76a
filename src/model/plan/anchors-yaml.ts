/**
 * A model YAML with other anchors written in: the top-level `anchors:` block is replaced, everything else (rows,
 * comments) stays as the user wrote it. AutoAnchor's runs store their YAML this way, so checkpoints, resume,
 * `lab val`, `lab forward` and the PyTorch bundle all build the model with the anchors it trained with.
 */
import { parseModelYaml } from './parse';

type Levels = readonly (readonly (readonly [number, number])[])[];

/** Anchors as the YAML writes them: whole pixels where they are whole, else one decimal. */
const pixels = (v: number) => String(Math.round(v * 10) / 10);

export function withAnchors(yamlText: string, anchors: Levels, note = 'AutoAnchor'): string {
  const lines = yamlText.split('\n');
  const start = lines.findIndex((line) => /^anchors\s*:/.test(line));
  if (start < 0) throw new Error('the model YAML has no top-level anchors: to replace');
  let end = start + 1;
  // The block goes on while lines are indented, list items, or blank.
  while (end < lines.length && (/^\s/.test(lines[end]) || lines[end].startsWith('-') || lines[end].trim() === '')) end++;
  // Blank lines before the next key stay with it.
  while (end > start + 1 && lines[end - 1].trim() === '') end--;
  const rows = anchors.map((level) => `  - [${level.map(([w, h]) => `${pixels(w)},${pixels(h)}`).join(', ')}]`);
  rows[0] += `  # ${note}`;
  const text = [...lines.slice(0, start), 'anchors:', ...rows, ...lines.slice(end)].join('\n');
  // The result must parse, and to the anchors asked for.
  const written = parseModelYaml(text).detect.anchors;
  const expected = anchors.map((level) => level.map(([w, h]) => [Number(pixels(w)), Number(pixels(h))]));
  if (JSON.stringify(written) !== JSON.stringify(expected)) throw new Error('writing the anchors into the model YAML changed its meaning');
  return text;
}
