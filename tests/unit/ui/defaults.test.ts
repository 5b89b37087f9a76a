/** The page's starting experiments, its Auto backend line, and the memory estimate behind the Original batch. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateTrainingMemory } from '../../../src/model/memory-estimate';
import type { AdapterInfo } from '../../../src/runtime/adapter-info';
import { DEFAULT_SETTINGS, EXPERIMENTS, experimentOf } from '../../../src/ui/state/settings';
import { backendLine, expectedBackend } from '../../../src/ui/training/backend-line';
import { buildRunSettings } from '../../../src/ui/training/run-settings';
import { resolveHyp } from '../../../src/run/hyp';
import { LAB_HYP, SCRATCH_HYP } from '../../../src/train/hyp';

const adapter = (isFallbackAdapter: boolean): AdapterInfo =>
  ({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter, features: [], limits: {} }) as unknown as AdapterInfo;

describe('the page defaults', () => {
  it('start with the Quick experiment on Auto, AutoAnchor on; a run gets the lab preset', () => {
    expect(experimentOf(DEFAULT_SETTINGS)).toBe('quick');
    expect(DEFAULT_SETTINGS).toMatchObject({ scale: 'n', img: 128, batch: 16, epochs: 20, backend: 'auto', autoAnchor: true });
    const data = { spec: { kind: 'url', baseUrl: '/data/vehicles/' }, dataset: { names: ['motorcycle', 'car', 'bus', 'truck'] } };
    const run = buildRunSettings(DEFAULT_SETTINGS, 'nc: 4', data as never);
    expect(resolveHyp(run)).toEqual(LAB_HYP);
    expect(run).toMatchObject({ backend: 'auto', autoAnchor: true });
  });

  it('Original is the seed: scale l, 640 px, the scratch hyp, 300 epochs', () => {
    const original = { ...DEFAULT_SETTINGS, ...EXPERIMENTS.original.values };
    expect(experimentOf(original)).toBe('original');
    expect(experimentOf({ ...original, batch: 2 })).toBe('original');
    expect(experimentOf({ ...original, epochs: 10 })).toBe('custom');
    const data = { spec: { kind: 'url', baseUrl: '/data/vehicles/' }, dataset: { names: ['a'] } };
    expect(resolveHyp(buildRunSettings(original, 'nc: 1', data as never))).toEqual(SCRATCH_HYP);
  });

  it("Auto says what it will train on and why; WebGPU on a software adapter warns", () => {
    expect(backendLine('auto', { status: 'available', adapter: adapter(false) })).toMatchObject({ text: expect.stringMatching(/^Auto: WebGPU on /), warn: false });
    const software = backendLine('auto', { status: 'available', adapter: adapter(true) });
    expect(software?.text).toMatch(/^Auto: WebAssembly \(CPU threads\)\. No hardware GPU adapter .*software emulation, about 20× slower/);
    expect(backendLine('auto', { status: 'unavailable', reason: 'navigator.gpu is missing' })?.text).toBe('Auto: WebAssembly (CPU threads), since navigator.gpu is missing');
    expect(backendLine('webgpu', { status: 'available', adapter: adapter(true) })?.warn).toBe(true);
    expect(backendLine('wasm', { status: 'available', adapter: adapter(true) })).toBeUndefined();
    expect(expectedBackend('auto', { status: 'available', adapter: adapter(true) })).toBe('wasm');
    expect(expectedBackend('auto', { status: 'available', adapter: adapter(false) })).toBe('webgpu');
    expect(expectedBackend('webgl', { status: 'pending' })).toBe('webgl');
  });

  it('estimates training memory: parameters ×4 plus activations that grow with batch and image area', () => {
    const yaml = readFileSync('public/models/yolov4-resnet50.yaml', 'utf8');
    const small = estimateTrainingMemory(yaml, { nc: 4, scale: 'n', img: 128, batch: 2 });
    expect(small.parameters).toBe(2030753);
    expect(small.parameterBytes).toBe(2030753 * 16);
    // Measured on cpu (tf.memory() during the forward pass): 61.2 MB kept for this step; the estimate stays above it.
    expect(small.activationBytes).toBeGreaterThan(61.2e6);
    expect(small.activationBytes).toBeLessThan(3 * 61.2e6);
    const double = estimateTrainingMemory(yaml, { nc: 4, scale: 'n', img: 128, batch: 4 });
    expect(double.activationBytes).toBeCloseTo(2 * small.activationBytes, 0);
    const wide = estimateTrainingMemory(yaml, { nc: 4, scale: 'n', img: 256, batch: 2 });
    expect(wide.activationBytes).toBeCloseTo(4 * small.activationBytes, 0);
  });
});
