// Bundles the benchmark into one ES module for the offline GPU pack (scripts/gpu-pack.sh), with esbuild (in
// node_modules through Vite).
//   node scripts/gpu-check/bundle.mjs <entry.ts> <out.mjs>
// What the bundle leaves outside itself, and why:
//   - `webgpu` (Dawn): its index.js loads dawn.node from a path next to itself, so the pack ships the package's
//     index.js + linux-x64 dawn.node under node_modules/webgpu instead;
//   - playwright-core and vite (the bench's headless-Chromium rows): stubs that throw if used; the pack has no Chromium;
//   - the browser-only modules src/runtime imports lazily (Vite `?url` / `?raw` imports): left as runtime imports that
//     Node never reaches, because backend.ts takes them only in a browser.
// backend.ts loads node-host.ts through `import(/* @vite-ignore */ name)` so that Vite does not follow it; esbuild would
// not follow it either, so the loader below turns it back into a literal import for the bundle.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: node scripts/gpu-check/bundle.mjs <entry.ts> <out.mjs>');
  process.exit(2);
}

/** Packages the pack does not carry; importing works, using any export throws a message that says so. */
const STUBBED = ['playwright-core', 'vite'];

const packPlugin = {
  name: 'gpu-pack',
  setup(b) {
    const stubFilter = new RegExp(`^(${STUBBED.join('|')})$`);
    b.onResolve({ filter: stubFilter }, (args) => ({ path: args.path, namespace: 'gpu-pack-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'gpu-pack-stub' }, (args) => ({
      // CommonJS, so that any named import binds: esbuild reads the names lazily, through getters.
      contents: `module.exports = new Proxy({}, {
        get(_, key) {
          if (key === '__esModule' || typeof key === 'symbol') return undefined;
          throw new Error(${JSON.stringify(args.path)} + '.' + String(key) + ' is not in the GPU pack (no Chromium there)');
        },
      });`,
      loader: 'js',
    }));
    b.onResolve({ filter: /\?(url|raw)$/ }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^\.\/(browser-wasm-paths|wasm-threads)$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /src[\\/]runtime[\\/]backend\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const literalImport = literalViteIgnoreImports(source, args.path);
      return { contents: literalImport, loader: 'ts' };
    });
  },
};

/**
 * Rewrites each `import(/* @vite-ignore *\/ name)` whose `name` is a `const name = '<literal>'` of the same file into
 * `import('<literal>')`. Throws, naming the file, when a hidden import has no such constant: the bundle would miss it.
 */
function literalViteIgnoreImports(source, file) {
  let count = 0;
  const out = source.replace(/import\(\/\* @vite-ignore \*\/ (\w+)\)/g, (_, name) => {
    const constant = new RegExp(`const ${name} = '([^']+)'`).exec(source);
    if (!constant) throw new Error(`${file}: import(${name}) hides its module and no 'const ${name} = '...'' names it`);
    count++;
    return `import(${JSON.stringify(constant[1])})`;
  });
  if (count === 0) throw new Error(`${file}: no @vite-ignore import found; the bundle expected node-host.ts to be loaded that way`);
  return out;
}

const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  plugins: [packPlugin],
  // CommonJS code inside the bundle (tfjs' wasm glue) calls require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __packRequire } from 'node:module'; const require = __packRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`[gpu-pack] bundled ${entry} -> ${outfile} (${(bytes / 2 ** 20).toFixed(1)} MiB)`);
