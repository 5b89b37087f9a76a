/// <reference types="@webgpu/types" />
/**
 * Picks and initialises the tfjs backend, in Node (CLI, tests, benchmarks) and in the browser (worker, page) alike.
 *
 * - webgpu: the browser's navigator.gpu; in Node, Dawn from the npm `webgpu` package (node-host.ts). The webgpu
 *   backend package is imported only after navigator.gpu exists, because it registers itself only if it is present.
 * - wasm: XNNPACK on the CPU, with the training kernels tfjs lacks, gets wrong or runs slowly (wasm-kernels/). The fast
 *   CPU path. One thread in Node (tfjs ships no threaded build for Node); in a cross-origin isolated page, one thread
 *   per logical core: our kernels split across kernel threads (wasm-kernels/kernel-threads.ts), XNNPACK on one, or
 *   XNNPACK on all with `kernelThreads: false` (wasm-threads.ts makes tfjs' threaded build work inside a Vite bundle).
 * - cpu: plain JS; slow, but the reference for kernels.
 * - webgl: browsers only.
 * - auto: webgpu when a real (non-fallback) adapter exists, else wasm. Software adapters (SwiftShader, lavapipe) are
 *   slower than wasm for training, so auto does not pick them; ask for 'webgpu' explicitly to use one.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describeAdapter, formatAdapter, type AdapterInfo } from './adapter-info';
import { registerGradientFixes } from './gradient-fixes';
import { registerWasmTrainingKernels, startWasmKernelThreads } from './wasm-kernels';
import { registerWebGpuKernels } from './webgpu-kernels';

export type { AdapterInfo } from './adapter-info';

export type BackendName = 'webgpu' | 'wasm' | 'cpu' | 'webgl';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu', 'webgl'];

export interface BackendInfo {
  name: BackendName;
  requested: BackendChoice;
  runtime: 'node' | 'browser';
  /** The WebGPU adapter, when the backend is webgpu. */
  adapter: AdapterInfo | null;
  /** wasm only: threads training runs on (the kernel threads', or XNNPACK's where ours run on one). */
  wasmThreads?: number;
  /** wasm only: threads our own kernels split their work across (src/runtime/wasm-kernels/kernel-threads.ts). */
  kernelThreads?: number;
  /** wasm only: threads XNNPACK uses (see the wasm note at the top of this file). */
  xnnpackThreads?: number;
  /** Why 'auto' chose what it chose, or other facts worth a log line. */
  note?: string;
}

export type UnavailableReason =
  | 'no-webgpu-api' // navigator.gpu is missing (browser without WebGPU, or Dawn failed to load in Node)
  | 'no-adapter' // requestAdapter() returned null (no driver, blocklisted GPU)
  | 'fallback-adapter' // only a software adapter exists and a real one was required
  | 'not-supported-here' // e.g. webgl in Node
  | 'init-failed'; // tf.setBackend refused (see the console for tfjs' own error)

export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface SetBackendOptions {
  /** Refuse software WebGPU adapters (LAB_E2E_GPU=1, or a benchmark meant for a real GPU). */
  requireRealAdapter?: boolean;
  /** Browser only: threads for wasm (default: every logical core, up to 8). Node's wasm has one. */
  wasmThreads?: number;
  /** Browser only: the threads go to our kernels, XNNPACK keeping one (default true), or all to XNNPACK (false). */
  kernelThreads?: boolean;
}

export const isNodeRuntime: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && Boolean(process.versions?.node);

type NodeHost = typeof import('./node-host');
// A specifier in a variable, so Vite does not bundle node-host.ts (and its node: imports) into the browser build.
const nodeHostModule = './node-host.ts';
let nodeHost: Promise<NodeHost> | undefined;
function loadNodeHost(): Promise<NodeHost> {
  nodeHost ??= import(/* @vite-ignore */ nodeHostModule) as Promise<NodeHost>;
  return nodeHost;
}

export type WebGpuProbe =
  | { ok: true; gpu: GPU; adapter: GPUAdapter; info: AdapterInfo }
  | { ok: false; reason: 'no-webgpu-api' | 'no-adapter'; message: string };

/** Finds navigator.gpu (installing Dawn first in Node) and asks it for an adapter. Never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  let gpu: GPU | undefined;
  let hint = '';
  if (isNodeRuntime) {
    try {
      const host = await loadNodeHost();
      gpu = await host.installNodeWebGpu();
      hint = ` (${host.vulkanDriverHint()})`;
    } catch (err) {
      return { ok: false, reason: 'no-webgpu-api', message: `Dawn (npm 'webgpu') failed to load: ${String(err)}` };
    }
  } else {
    gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) {
      return {
        ok: false,
        reason: 'no-webgpu-api',
        message: 'navigator.gpu is missing: this browser has no WebGPU (or it is disabled, or the page is not secure)',
      };
    }
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    return { ok: false, reason: 'no-adapter', message: `WebGPU returned no adapter${hint}` };
  }
  return { ok: true, gpu, adapter, info: describeAdapter(adapter) };
}

async function initWebGpu(requested: BackendChoice, options: SetBackendOptions): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  if (!probe.ok) throw new BackendUnavailableError('webgpu', probe.reason, probe.message);
  if (options.requireRealAdapter && probe.info.isFallbackAdapter) {
    throw new BackendUnavailableError(
      'webgpu',
      'fallback-adapter',
      `only a software WebGPU adapter is available (${formatAdapter(probe.info)}); a real GPU was required`,
    );
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuKernels();
  if (!tf.findBackendFactory('webgpu')) {
    throw new BackendUnavailableError(
      'webgpu',
      'init-failed',
      '@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed; import it only through setBackend()',
    );
  }
  if (!(await tf.setBackend('webgpu'))) {
    throw new BackendUnavailableError('webgpu', 'init-failed', 'tfjs could not initialise its webgpu backend');
  }
  return { name: 'webgpu', requested, runtime: runtimeName(), adapter: probe.info };
}

/** Threads for the page's wasm backend: every logical core, since the worker owns the training, up to this cap. */
const MAX_WASM_THREADS = 8;
let wasmPathsSet = false;
async function initWasm(requested: BackendChoice, options: SetBackendOptions, note?: string): Promise<BackendInfo> {
  if (!wasmPathsSet) {
    setWasmPaths(
      isNodeRuntime ? (await loadNodeHost()).wasmDirectory() : (await import('./browser-wasm-paths')).browserWasmPaths,
    );
    wasmPathsSet = true;
  }
  registerWasmTrainingKernels();
  const threads = isNodeRuntime ? 1 : (options.wasmThreads ?? Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
  // Our kernels carry most of a training step, split across kernel threads. XNNPACK's own pthreads poll after each of
  // its ops and took the cores from them (scale n: 98 ms a step with both threaded, 91 with XNNPACK on one thread; see
  // docs/performance.md), so with kernel threads XNNPACK gets one thread.
  const splitOurs = threads > 1 && options.kernelThreads !== false;
  const initialised = isNodeRuntime
    ? await tf.setBackend('wasm')
    : await (await import('./wasm-threads')).withWasmThreads(splitOurs ? 1 : threads, () => tf.setBackend('wasm'));
  if (!initialised) {
    throw new BackendUnavailableError('wasm', 'init-failed', 'tfjs could not initialise its wasm backend');
  }
  const started = isNodeRuntime ? { threads: 1 } : await startWasmKernelThreads(splitOurs ? threads : 1);
  const kernelThreads = started.threads;
  const xnnpackThreads = getThreadsCount();
  const problem = started.problem && `training runs on one thread: ${started.problem}`;
  return {
    name: 'wasm',
    requested,
    runtime: runtimeName(),
    adapter: null,
    wasmThreads: Math.max(kernelThreads, xnnpackThreads),
    kernelThreads,
    xnnpackThreads,
    note: [note, problem].filter(Boolean).join('; ') || undefined,
  };
}

async function initPlain(name: 'cpu' | 'webgl', requested: BackendChoice): Promise<BackendInfo> {
  if (name === 'webgl' && isNodeRuntime) {
    throw new BackendUnavailableError('webgl', 'not-supported-here', 'webgl needs a browser; in Node use wasm or webgpu');
  }
  if (!(await tf.setBackend(name))) {
    throw new BackendUnavailableError(name, 'init-failed', `tfjs could not initialise its ${name} backend`);
  }
  return { name, requested, runtime: runtimeName(), adapter: null };
}

/** Selects and initialises a backend; throws BackendUnavailableError with a reason when it cannot. */
export async function setBackend(choice: BackendChoice, options: SetBackendOptions = {}): Promise<BackendInfo> {
  registerGradientFixes();
  let info: BackendInfo;
  switch (choice) {
    case 'webgpu':
      info = await initWebGpu(choice, options);
      break;
    case 'wasm':
      info = await initWasm(choice, options);
      break;
    case 'cpu':
    case 'webgl':
      info = await initPlain(choice, choice);
      break;
    case 'auto': {
      const probe = await probeWebGpu();
      if (probe.ok && !probe.info.isFallbackAdapter) {
        info = await initWebGpu(choice, options);
      } else {
        const why = probe.ok
          ? `no hardware GPU adapter (${formatAdapter(probe.info)} is a software one): WebGPU here would be a software emulation, about 20× slower`
          : probe.message;
        info = await initWasm(choice, options, `auto chose WebAssembly: ${why}`);
      }
      break;
    }
    default:
      throw new Error(`unknown backend '${String(choice)}'; choose one of ${BACKEND_CHOICES.join(', ')}`);
  }
  await tf.ready();
  return info;
}

/** One line for logs: `wasm (1 thread)`, `webgpu on google swiftshader (fallback adapter)`. */
export function describeBackend(info: BackendInfo): string {
  if (info.adapter) return `${info.name} on ${formatAdapter(info.adapter)}`;
  if (info.name === 'wasm') {
    const threads = `${info.wasmThreads ?? 1} thread${(info.wasmThreads ?? 1) === 1 ? '' : 's'}`;
    return (info.kernelThreads ?? 1) > 1 ? `wasm (${threads}; XNNPACK ${info.xnnpackThreads ?? 1})` : `wasm (${threads})`;
  }
  return info.name;
}

export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`unknown backend '${value}'; choose one of ${BACKEND_CHOICES.join(', ')}`);
}

function runtimeName(): 'node' | 'browser' {
  return isNodeRuntime ? 'node' : 'browser';
}
