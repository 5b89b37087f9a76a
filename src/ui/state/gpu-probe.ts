/**
 * Asks the browser for a WebGPU adapter on the page itself (cheap, no tfjs), so the header can say before any run
 * whether WebGPU is there, which adapter it would use, and why not if it is missing.
 */
import { describeAdapter, type AdapterInfo } from '../../runtime/adapter-info';

export type GpuProbe =
  | { status: 'pending' }
  | { status: 'available'; adapter: AdapterInfo }
  | { status: 'unavailable'; reason: string };

export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Parameters<typeof describeAdapter>[0] | null> } }).gpu;
  if (!gpu) {
    const reason = window.isSecureContext
      ? 'this browser does not expose WebGPU (navigator.gpu is missing)'
      : 'WebGPU needs a secure context (https or localhost)';
    return { status: 'unavailable', reason };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { status: 'unavailable', reason: 'the browser returned no WebGPU adapter (GPU blocklisted or disabled)' };
    return { status: 'available', adapter: describeAdapter(adapter) };
  } catch (error) {
    return { status: 'unavailable', reason: `requestAdapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
