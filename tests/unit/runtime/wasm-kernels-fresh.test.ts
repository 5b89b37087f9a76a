/** The checked-in wasm kernel modules are what scripts/build-wasm-kernels.mjs makes from their AssemblyScript now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { KERNELS, renderKernel } from '../../../scripts/build-wasm-kernels.mjs';

describe('generated wasm kernel modules', () => {
  for (const kernel of KERNELS as { source: string; output: string }[]) {
    it(`${kernel.output} is up to date (else run npm run build:kernels)`, async () => {
      expect(readFileSync(kernel.output, 'utf8')).toBe(await renderKernel(kernel));
    });
  }
});
