/**
 * The arrows between the parts of src/, checked on the source text: src/ never imports tests/; the core
 * (model, data, train, eval, run, store) imports neither the drivers (worker, ui, cli) nor the benchmark, and no Node
 * built-in, so it runs unchanged in a browser worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const CORE = ['model', 'data', 'train', 'eval', 'run', 'store', 'input'];
const DRIVERS = ['worker', 'ui', 'cli', 'bench'];
const NODE_BUILTINS = new Set(builtinModules);

/** Module specifiers of static imports and re-exports, side-effect imports and dynamic `import('…')` calls. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

interface Import {
  /** The importing file, relative to the repository root. */
  file: string;
  specifier: string;
  /** For a relative specifier: the imported path relative to the repository root (query such as `?raw` removed). */
  target?: string;
}

function importsOf(file: string): Import[] {
  return importSpecifiers(readFileSync(file, 'utf8')).map((specifier) => ({
    file: relative(root, file),
    specifier,
    target: specifier.startsWith('.') ? relative(root, resolve(dirname(file), specifier.replace(/\?.*$/, ''))) : undefined,
  }));
}

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
const under = (path: string | undefined, folder: string) => path !== undefined && (path + '/').startsWith(folder + '/');
const describeImport = (i: Import) => `${i.file} imports '${i.specifier}'`;

const srcImports = sourceFiles(join(root, 'src')).flatMap(importsOf);
const coreImports = srcImports.filter((i) => CORE.some((part) => under(i.file, `src/${part}`)));

describe('import arrows of src/', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    expect(srcImports.length).toBeGreaterThan(500);
    expect(coreImports.length).toBeGreaterThan(200);
    // Every part of the core is seen.
    for (const part of CORE) expect(coreImports.some((i) => under(i.file, `src/${part}`))).toBe(true);
  });

  it('reads static, side-effect, multi-line and dynamic imports, not comments', () => {
    const sample = [
      "/** Uses `node:path` on purpose? no: see node:fs */",
      "import type {\n  A,\n  B,\n} from '../worker/protocol';",
      "import '@tensorflow/tfjs-backend-wasm';",
      "export { x } from './x.js';",
      "const m = await import('../../tests/bench/bench');",
      "import loader from './script.py?raw';",
    ].join('\n');
    expect(importSpecifiers(sample)).toEqual([
      '../worker/protocol',
      './x.js',
      './script.py?raw',
      '@tensorflow/tfjs-backend-wasm',
      '../../tests/bench/bench',
    ]);
  });

  it('src/ imports nothing from tests/', () => {
    expect(srcImports.filter((i) => under(i.target, 'tests')).map(describeImport)).toEqual([]);
  });

  it('the core (model, data, train, eval, run, store) imports no worker, ui, cli or bench code', () => {
    const upward = coreImports.filter((i) => DRIVERS.some((part) => under(i.target, `src/${part}`)));
    expect(upward.map(describeImport)).toEqual([]);
  });

  it('the core imports no Node built-in (node:fs, path, ...)', () => {
    expect(coreImports.filter((i) => isNodeBuiltin(i.specifier)).map(describeImport)).toEqual([]);
  });
});
