import { checkBox } from './box-check.js';
import { showValue } from '../input/show-value.js';
import { readCocoJson, type CocoAnnotation, type CocoId } from './coco-json.js';
import { VEHICLE_CLASSES } from './constants.js';
import { ImageChecker } from './image-check.js';
import { baseName, dirName, extension, joinPath } from './paths.js';
import type { Box, Dataset, FileSource, LabeledImage, Problem } from './types.js';

export interface CocoOptions {
  /** Category names to keep, matched case-insensitively, mapped to ids 0..n-1 in this order (default: the 4 vehicles). */
  classes?: readonly string[];
  /** Keep images that have no box of those classes as background images (default false). */
  background?: boolean;
}

/** `instances_<split>.json` names its split. */
function namedSplit(jsonFile: string): string | undefined {
  return /^instances_(.+)\.json$/i.exec(baseName(jsonFile))?.[1];
}

/**
 * The split of an image: the json's name (instances_<split>.json), else an images/<split>/ folder in the image's
 * path, else the json's folder (Roboflow's train/_annotations.coco.json), else the json's own name.
 */
function splitOf(jsonFile: string, imageFile: string): string {
  const named = namedSplit(jsonFile);
  if (named) return named;
  const folder = /(?:^|\/)images\/([^/]+)\//.exec(imageFile);
  if (folder) return folder[1];
  const jsonDir = dirName(jsonFile);
  if (jsonDir !== '' && baseName(jsonDir) !== 'annotations') return baseName(jsonDir);
  return baseName(jsonFile).replace(/\.json$/i, '');
}

/** Finds a json's file_name among the listed files: relative to the root, the json, its parent, or the split folder. */
function resolveImage(fileName: string, jsonFile: string, listed: Set<string>, byBase: Map<string, string[]>): string | undefined {
  const jsonDir = dirName(jsonFile);
  const candidates = [fileName, joinPath(jsonDir, fileName), joinPath(jsonDir, '..', fileName)];
  const split = namedSplit(jsonFile);
  if (split) {
    candidates.push(joinPath(split, fileName), joinPath('images', split, fileName), joinPath(jsonDir, '..', split, fileName),
      joinPath(jsonDir, '..', 'images', split, fileName));
  }
  const found = candidates.map((c) => joinPath(c)).find((c) => listed.has(c));
  if (found) return found;
  const sameName = byBase.get(baseName(fileName));
  return sameName && sameName.length === 1 ? sameName[0] : undefined;
}

/**
 * Imports COCO instances json files (every .json below the root) with their images. Keeps the chosen categories,
 * drops other categories and iscrowd boxes, and converts [x,y,w,h] pixels to normalised cx,cy,w,h.
 */
export async function loadCoco(source: FileSource, files: string[], options: CocoOptions = {}): Promise<Dataset> {
  const names = [...(options.classes ?? VEHICLE_CLASSES)];
  const wanted = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  const problems: Problem[] = [];
  const listed = new Set(files);
  const byBase = new Map<string, string[]>();
  for (const f of files) byBase.set(baseName(f), [...(byBase.get(baseName(f)) ?? []), f]);
  const checker = new ImageChecker(source);
  const splits: Record<string, LabeledImage[]> = {};
  const seenFiles = new Set<string>();
  const jsonFiles = files.filter((f) => extension(f) === 'json');
  if (jsonFiles.length === 0) problems.push({ file: '.', problem: 'no COCO json file found' });

  for (const jsonFile of jsonFiles) {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(await source.read(jsonFile)));
    } catch (err) {
      problems.push({ file: jsonFile, problem: `not a COCO json: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const coco = readCocoJson(doc, jsonFile, problems);
    if (!coco) continue;
    const classOfCategory = new Map<CocoId, number>();
    for (const c of coco.categories) {
      const cls = wanted.get(String(c.name).toLowerCase());
      if (cls !== undefined) classOfCategory.set(c.id, cls);
    }
    const annotationsOf = new Map<CocoId, CocoAnnotation[]>();
    for (const a of coco.annotations) annotationsOf.set(a.image_id, [...(annotationsOf.get(a.image_id) ?? []), a]);
    const imageIds = new Set<CocoId>();

    for (const im of coco.images) {
      const fileName = im.file_name;
      if (imageIds.has(im.id)) {
        problems.push({ file: fileName, problem: `duplicate file (image id ${showValue(im.id, 30)} listed twice in ${jsonFile})` });
        continue;
      }
      imageIds.add(im.id);
      const file = resolveImage(fileName, jsonFile, listed, byBase);
      if (!file) {
        problems.push({ file: fileName, problem: 'missing image' });
        continue;
      }
      const split = splitOf(jsonFile, file);
      if (seenFiles.has(file)) {
        problems.push({ file, problem: 'duplicate file (listed twice)' });
        continue;
      }
      seenFiles.add(file);
      const size = await checker.check(file);
      if ('problem' in size) {
        problems.push({ file, problem: size.problem });
        continue;
      }
      const width = im.width ?? size.width;
      const height = im.height ?? size.height;
      const boxes: Box[] = [];
      for (const a of annotationsOf.get(im.id) ?? []) {
        const cls = classOfCategory.get(a.category_id);
        if (cls === undefined || a.iscrowd === 1 || a.iscrowd === true) continue;
        if (!Array.isArray(a.bbox) || a.bbox.length !== 4) {
          problems.push({ file, problem: `wrong field count in bbox: ${Array.isArray(a.bbox) ? a.bbox.length : 'not a list'} (expected 4: x y w h)` });
          continue;
        }
        const [x, y, w, h] = a.bbox.map(Number);
        const checked = checkBox(cls, (x + w / 2) / width, (y + h / 2) / height, w / width, h / height);
        if ('problem' in checked) problems.push({ file, problem: checked.problem });
        else boxes.push(checked.box);
      }
      if (boxes.length === 0 && !options.background) continue;
      (splits[split] ??= []).push({ file, width, height, boxes, ...(boxes.length === 0 ? { background: true } : {}) });
    }
    for (const id of annotationsOf.keys()) {
      if (!imageIds.has(id)) problems.push({ file: jsonFile, problem: `annotations refer to image id ${showValue(id, 30)}, which is not in images` });
    }
  }
  for (const images of Object.values(splits)) images.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { format: 'coco', names, splits, problems };
}
