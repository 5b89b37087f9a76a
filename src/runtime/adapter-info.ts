/**
 * A plain-data description of a WebGPU adapter, as the worker's `ready` event and the benchmarks report it. Works on
 * browsers' and Dawn's (Node) adapters alike: both expose `info` (vendor, architecture, ...) and `limits` getters.
 */

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters (SwiftShader, lavapipe): correct, but far slower than a GPU. */
  isFallbackAdapter: boolean;
  /** The adapter limits that bound training (buffer sizes, workgroup sizes). */
  limits: Record<string, number>;
}

/** Limits worth reporting; GPUSupportedLimits exposes them as prototype getters, so they are read by name. */
const REPORTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

/** The subset of GPUAdapter we read, typed loosely: older Chrome has `isFallbackAdapter` on the adapter, newer on `info`. */
interface AdapterLike {
  info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & { isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  limits: object;
}

export function describeAdapter(adapter: AdapterLike): AdapterInfo {
  const info = adapter.info ?? {};
  const limits: Record<string, number> = {};
  const source = adapter.limits as Record<string, unknown>;
  for (const name of REPORTED_LIMITS) {
    const value = source[name];
    if (typeof value === 'number') limits[name] = value;
  }
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
    limits,
  };
}

/** One line for logs: `google swiftshader (fallback)`. */
export function formatAdapter(info: AdapterInfo): string {
  const name = [info.vendor, info.architecture, info.device || info.description].filter(Boolean).join(' ') || 'unknown';
  return `${name}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}
