/**
 * The fields of a COCO instances json, checked entry by entry. JSON files are not size-limited, but every bad field
 * is reported by its path (`images[3].file_name`) and its entry skipped, so one bad entry never stops an import or
 * turns into a crash further on.
 */
import { showValue } from '../input/show-value.js';
import type { Problem } from './types.js';

/** COCO ids are integers; some exporters write strings. Both are kept as written. */
export type CocoId = number | string;

export interface CocoImage { id: CocoId; file_name: string; width?: number; height?: number }
export interface CocoAnnotation { id?: CocoId; image_id: CocoId; category_id: CocoId; bbox: unknown; iscrowd?: number | boolean }
export interface CocoCategory { id: CocoId; name: string }
export interface CocoJson { images: CocoImage[]; annotations: CocoAnnotation[]; categories: CocoCategory[] }

const ARRAYS = ['images', 'annotations', 'categories'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is CocoId => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

type FieldCheck = [field: string, ok: (v: unknown) => boolean, wanted: string, optional?: boolean];

const ID: FieldCheck[1] = isId;
const IMAGE_FIELDS: FieldCheck[] = [
  ['id', ID, 'a number'],
  ['file_name', (v) => typeof v === 'string' && v !== '', 'a file name'],
  ['width', isPositive, 'a positive number', true],
  ['height', isPositive, 'a positive number', true],
];
const ANNOTATION_FIELDS: FieldCheck[] = [
  ['id', ID, 'a number', true],
  ['image_id', ID, 'a number'],
  ['category_id', ID, 'a number'],
  ['iscrowd', (v) => v === 0 || v === 1 || typeof v === 'boolean', '0 or 1', true],
];
const CATEGORY_FIELDS: FieldCheck[] = [
  ['id', ID, 'a number'],
  ['name', (v) => typeof v === 'string' || typeof v === 'number', 'a name'],
];

/** The first bad field of one entry, as `images[3].id must be a number, got null`; undefined when all are good. */
function badField(entry: unknown, path: string, fields: readonly FieldCheck[]): string | undefined {
  if (!isRecord(entry)) return `${path} must be an object, got ${showValue(entry, 40)}`;
  for (const [field, ok, wanted, optional] of fields) {
    const value = entry[field];
    if (value === undefined && optional) continue;
    if (!ok(value)) return `${path}.${field} must be ${wanted}, got ${value === undefined ? 'nothing' : showValue(value, 40)}`;
  }
  return undefined;
}

/** Entries of one array whose fields are good; the others are reported by path. */
function goodEntries<T>(entries: readonly unknown[], name: string, fields: readonly FieldCheck[], file: string, problems: Problem[]): T[] {
  const good: T[] = [];
  entries.forEach((entry, i) => {
    const bad = badField(entry, `${name}[${i}]`, fields);
    if (bad === undefined) good.push(entry as T);
    else problems.push({ file, problem: bad });
  });
  return good;
}

/**
 * Checks a parsed json as a COCO instances file: undefined (and one problem saying which array is missing) when it is
 * not one; otherwise its good entries, with annotations whose id repeats an earlier one counted once.
 */
export function readCocoJson(doc: unknown, file: string, problems: Problem[]): CocoJson | undefined {
  const needs = '(needs images, annotations and categories arrays)';
  if (!isRecord(doc)) {
    problems.push({ file, problem: `not a COCO instances json: the file holds ${showValue(doc, 30)}, not an object ${needs}` });
    return undefined;
  }
  const missing = ARRAYS.filter((key) => !Array.isArray(doc[key]));
  if (missing.length > 0) {
    const what = missing.map((key) => (doc[key] === undefined ? `no "${key}"` : `"${key}" is not an array`)).join(', ');
    problems.push({ file, problem: `not a COCO instances json: ${what} ${needs}` });
    return undefined;
  }
  const images = goodEntries<CocoImage>(doc.images as unknown[], 'images', IMAGE_FIELDS, file, problems);
  const categories = goodEntries<CocoCategory>(doc.categories as unknown[], 'categories', CATEGORY_FIELDS, file, problems);
  const annotations: CocoAnnotation[] = [];
  const annotationIds = new Set<CocoId>();
  (doc.annotations as unknown[]).forEach((entry, i) => {
    const bad = badField(entry, `annotations[${i}]`, ANNOTATION_FIELDS);
    if (bad !== undefined) return problems.push({ file, problem: bad });
    const annotation = entry as unknown as CocoAnnotation;
    if (annotation.id !== undefined) {
      if (annotationIds.has(annotation.id)) {
        return problems.push({ file, problem: `annotations[${i}]: duplicate annotation id ${showValue(annotation.id, 30)} (counted once)` });
      }
      annotationIds.add(annotation.id);
    }
    annotations.push(annotation);
  });
  return { images, annotations, categories };
}
