import { loadBoundedYaml } from '../input/bounded-yaml.js';
import { clipText, showValue } from '../input/show-value.js';
import { checkBox } from './box-check.js';
import { IMAGE_EXTENSIONS } from './constants.js';
import { ImageChecker } from './image-check.js';
import { baseName, dirName, extension, isUnder, joinPath, withoutExtension } from './paths.js';
import type { Box, Dataset, FileSource, LabeledImage, Problem } from './types.js';

const decoder = new TextDecoder();
const SPLIT_KEYS = ['train', 'val', 'test'];

interface YoloLayout {
  names: string[];
  /** split → folders (or .txt lists) of images, relative to the root */
  splits: Record<string, string[]>;
}

/** A data.yaml that parses but holds a field the import cannot use; the message names the field's path. */
class DataYamlError extends Error {}

/** The data.yaml (or other root yaml with names), if any. */
function findYaml(files: string[]): string | undefined {
  return files.find((f) => f === 'data.yaml') ?? files.find((f) => !f.includes('/') && /\.ya?ml$/i.test(f));
}

/** A class name as data.yaml writes it: text, or a number (`names: [0, 1]`); anything else is refused by its path. */
function className(value: unknown, path: string): string {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new DataYamlError(`${path} must be a class name (text), got ${showValue(value, 40)}`);
}

function namesFromYaml(doc: Record<string, unknown>): string[] {
  const names = doc.names;
  if (Array.isArray(names)) return names.map((name, i) => className(name, `names[${i}]`));
  if (names && typeof names === 'object') {
    return Object.entries(names as Record<string, unknown>)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([key, v]) => className(v, `names.${clipText(key, 20)}`));
  }
  const nc = Number(doc.nc);
  return Number.isInteger(nc) && nc > 0 ? Array.from({ length: nc }, (_, i) => String(i)) : [];
}

/** Splits from images/<split>/ folders, or one 'train' split when images sit directly in images/. */
function splitsFromFolders(files: string[]): Record<string, string[]> {
  const splits: Record<string, string[]> = {};
  for (const f of files) {
    const m = /^(?:.*\/)?images\/([^/]+)\/[^/]+$/.exec(f);
    if (m && IMAGE_EXTENSIONS.includes(extension(f))) splits[m[1]] = [f.slice(0, f.lastIndexOf('/'))];
  }
  if (Object.keys(splits).length === 0 && files.some((f) => /^images\/[^/]+$/.test(f))) splits.train = ['images'];
  return splits;
}

async function readLayout(source: FileSource, files: string[], problems: Problem[]): Promise<YoloLayout> {
  const yamlFile = findYaml(files);
  if (yamlFile) {
    try {
      const doc = (loadBoundedYaml(decoder.decode(await source.read(yamlFile))) ?? {}) as Record<string, unknown>;
      const rootDir = typeof doc.path === 'string' && !doc.path.startsWith('/') ? joinPath(dirName(yamlFile), doc.path) : dirName(yamlFile);
      const splits: Record<string, string[]> = {};
      for (const key of SPLIT_KEYS) {
        const value = doc[key];
        const entries = (Array.isArray(value) ? value : value == null ? [] : [value]).map(String);
        const resolved = entries.map((p) => joinPath(rootDir, p)).filter((p) => files.some((f) => f === p || isUnder(f, p)));
        if (resolved.length > 0) splits[key] = resolved;
      }
      const names = namesFromYaml(doc);
      return { names, splits: Object.keys(splits).length > 0 ? splits : splitsFromFolders(files) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      problems.push({ file: yamlFile, problem: err instanceof DataYamlError ? message : `cannot parse yaml: ${message}` });
    }
  }
  const classesFile = files.find((f) => baseName(f) === 'classes.txt');
  const names = classesFile
    ? decoder.decode(await source.read(classesFile)).split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '')
    : [];
  return { names, splits: splitsFromFolders(files) };
}

/** Ultralytics' img2label_paths(): the last /images/ becomes /labels/, the extension .txt. */
export function labelPathFor(image: string): string {
  const p = '/' + image;
  const i = p.lastIndexOf('/images/');
  const swapped = i < 0 ? p : p.slice(0, i) + '/labels/' + p.slice(i + '/images/'.length);
  return withoutExtension(swapped.slice(1)) + '.txt';
}

/** Image files of one split entry: a folder, or a .txt list of image paths (relative to the list's folder or root). */
async function imagesOf(entry: string, source: FileSource, files: string[], listed: Set<string>): Promise<string[]> {
  if (extension(entry) === 'txt' && listed.has(entry)) {
    const lines = decoder.decode(await source.read(entry)).split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
    return lines.map((l) => {
      const fromList = joinPath(dirName(entry), l);
      return listed.has(fromList) ? fromList : joinPath(l);
    });
  }
  return files.filter((f) => isUnder(f, entry) && IMAGE_EXTENSIONS.includes(extension(f)));
}

function parseLabels(text: string, nc: number, labelFile: string, problems: Problem[]): Box[] {
  const boxes: Box[] = [];
  text.split(/\r?\n/).forEach((raw, lineIndex) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${labelFile}:${lineIndex + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 5) {
      problems.push({ file: where, problem: `wrong field count: ${fields.length} (expected 5: class cx cy w h)` });
      return;
    }
    const [cls, cx, cy, w, h] = fields.map(Number);
    if (!Number.isInteger(cls) || cls < 0 || cls >= nc) {
      problems.push({ file: where, problem: `class id ${fields[0]} out of range 0..${nc - 1}` });
      return;
    }
    const checked = checkBox(cls, cx, cy, w, h);
    if ('problem' in checked) problems.push({ file: where, problem: checked.problem });
    else boxes.push(checked.box);
  });
  return boxes;
}

/**
 * Imports a YOLO folder: data.yaml (names, train/val/test paths) or classes.txt with images/<split>/; each image's
 * labels come from the parallel labels/ path. Images without a label file, or with an empty one, are backgrounds.
 */
export async function loadYolo(source: FileSource, files: string[], options: { background?: boolean } = {}): Promise<Dataset> {
  const problems: Problem[] = [];
  const listed = new Set(files);
  const layout = await readLayout(source, files, problems);
  const nc = layout.names.length;
  if (nc === 0) problems.push({ file: '.', problem: 'no class names (data.yaml names/nc or classes.txt)' });
  const checker = new ImageChecker(source);
  const splits: Record<string, LabeledImage[]> = {};
  const usedLabels = new Map<string, string>();
  for (const [split, entries] of Object.entries(layout.splits)) {
    const images: LabeledImage[] = [];
    const candidates = [...new Set((await Promise.all(entries.map((e) => imagesOf(e, source, files, listed)))).flat())].sort();
    for (const file of candidates) {
      const labelFile = labelPathFor(file);
      const previous = usedLabels.get(labelFile);
      if (previous !== undefined) {
        if (previous !== file) problems.push({ file, problem: `duplicate file (shares ${labelFile} with ${previous})` });
        continue; // an image listed by two splits is read once, under the first
      }
      usedLabels.set(labelFile, file);
      if (!listed.has(file)) {
        problems.push({ file, problem: 'missing image' });
        continue;
      }
      const size = await checker.check(file);
      if ('problem' in size) {
        problems.push({ file, problem: size.problem });
        continue;
      }
      let boxes: Box[] = [];
      if (listed.has(labelFile)) {
        boxes = parseLabels(decoder.decode(await source.read(labelFile)), nc, labelFile, problems);
      }
      if (boxes.length === 0 && options.background === false) continue;
      images.push({ file, ...size, boxes, ...(boxes.length === 0 ? { background: true } : {}) });
    }
    splits[split] = images;
  }
  // Label files whose image is missing.
  for (const f of files) {
    if (extension(f) !== 'txt' || !/(^|\/)labels\//.test(f) || usedLabels.has(f) || baseName(f) === 'classes.txt') continue;
    problems.push({ file: f, problem: 'missing image for this label file' });
  }
  return { format: 'yolo', names: layout.names, splits, problems };
}
