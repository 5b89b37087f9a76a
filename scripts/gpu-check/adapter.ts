/**
 * The GPU check's first step (scripts/gpu-check.sh): which WebGPU adapter Dawn gives Node here, as one JSON line of
 * AdapterInfo, before minutes go into a benchmark. Exit 3 with the reason when there is none. Bundled by gpu-pack.sh.
 */
import { describeAdapter, formatAdapter } from '../../src/runtime/adapter-info';
import { installNodeWebGpu } from '../../src/runtime/node-host';

const gpu = await installNodeWebGpu();
// The same request as backend.ts' probeWebGpu(), so the bench gets this adapter too.
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
if (!adapter) {
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES ?? "the Vulkan loader's default search";
  console.error(`[gpu-check] WebGPU returned no adapter (Vulkan drivers: ${icd})`);
  process.exit(3);
}
const info = describeAdapter(adapter);
console.error(`[gpu-check] adapter: ${formatAdapter(info)}`);
console.log(JSON.stringify(info));
