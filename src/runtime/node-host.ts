/**
 * Node-only half of backend selection: gives Node a `navigator.gpu` (Dawn, from the npm `webgpu` package) and locates
 * the wasm binaries in node_modules. backend.ts loads this file only under Node, through an import that Vite does not
 * follow, so the browser bundle never sees `node:` modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lavapipe ICD that scripts/setup.sh unpacks into .vendor/ (Debian 12's own lavapipe is too old for Dawn). */
export const vendoredLavapipeIcd = join(projectRoot, '.vendor', 'lavapipe', 'lvp_icd.x86_64.json');

let installed: GPU | undefined;

/**
 * Installs Dawn as `globalThis.navigator.gpu` (once) and returns it. Must run before
 * `@tensorflow/tfjs-backend-webgpu` is imported: that package registers its backend only if navigator.gpu exists.
 */
export async function installNodeWebGpu(): Promise<GPU> {
  if (installed) return installed;
  // The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance, so setting it here is early enough.
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(vendoredLavapipeIcd)) {
    process.env.VK_ICD_FILENAMES = vendoredLavapipeIcd;
  }
  const dawn = await import('webgpu');
  // GPUBufferUsage, GPUMapMode, ... are globals in browsers; tfjs' webgpu backend uses them.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  installed = gpu;
  return gpu;
}

/** Which Vulkan driver Dawn will see, for error messages. */
export function vulkanDriverHint(): string {
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (icd) return `Vulkan ICD: ${icd}`;
  return 'no Vulkan ICD configured; run `bash scripts/setup.sh` to unpack lavapipe into .vendor/';
}

/** Directory (with trailing slash) holding tfjs-backend-wasm's .wasm files. */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
}
