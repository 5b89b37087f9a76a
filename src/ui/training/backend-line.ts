/**
 * What the Backend choice will run on, in one line, before a run starts: Auto's pick and its reason, or a warning
 * when WebGPU is picked on a software adapter. The worker makes the same choice (src/runtime/backend.ts, 'auto').
 */
import { formatAdapter } from '../../runtime/adapter-info';
import type { BackendChoice } from '../../runtime/backend';
import type { GpuProbe } from '../state/gpu-probe';

export interface BackendLine {
  text: string;
  warn: boolean;
}

/** Measured on this lab's 2-core test machine: WebGPU on SwiftShader 0.15–0.5 images/s, WebAssembly 5–23. */
const SOFTWARE_WEBGPU = 'WebGPU here would be a software emulation, about 20× slower or worse';

export function backendLine(choice: BackendChoice, probe: GpuProbe): BackendLine | undefined {
  if (choice === 'auto') {
    if (probe.status === 'pending') return { text: 'Auto: looking for a GPU adapter…', warn: false };
    if (probe.status === 'unavailable') return { text: `Auto: WebAssembly (CPU threads), since ${probe.reason}`, warn: false };
    if (!probe.adapter.isFallbackAdapter) return { text: `Auto: WebGPU on ${formatAdapter(probe.adapter)}`, warn: false };
    return { text: `Auto: WebAssembly (CPU threads). No hardware GPU adapter (${formatAdapter(probe.adapter)}): ${SOFTWARE_WEBGPU}.`, warn: false };
  }
  if (choice === 'webgpu' && probe.status === 'available' && probe.adapter.isFallbackAdapter) {
    return { text: `WebGPU runs on a software adapter here (${formatAdapter(probe.adapter)}): correct, but ${SOFTWARE_WEBGPU.replace('WebGPU here would be ', '')} than WebAssembly. Auto would pick WebAssembly.`, warn: true };
  }
  return undefined;
}

/** The backend the header names: the one a run trains on, else the one the choice would get. */
export function expectedBackend(choice: BackendChoice, probe: GpuProbe): Exclude<BackendChoice, 'auto'> | undefined {
  if (choice !== 'auto') return choice;
  if (probe.status === 'pending') return undefined;
  return probe.status === 'available' && !probe.adapter.isFallbackAdapter ? 'webgpu' : 'wasm';
}
