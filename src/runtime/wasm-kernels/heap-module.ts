/**
 * Instantiates one of our AssemblyScript modules that import tfjs' wasm memory and work on tensors where they lie
 * (no copies): the plain build for tfjs' single-threaded module, the shared-memory build for its threaded one. One
 * instance per module and heap. Synchronous: allowed for modules this small in Node and in workers.
 */
export interface HeapModuleBytes {
  wasmBase64: string;
  sharedWasmBase64: string;
}

const instances = new WeakMap<HeapModuleBytes, WeakMap<WebAssembly.Memory, WebAssembly.Exports>>();

export function heapModule<T>(bytes: HeapModuleBytes, memory: WebAssembly.Memory): T {
  let byMemory = instances.get(bytes);
  if (!byMemory) instances.set(bytes, (byMemory = new WeakMap()));
  let exports = byMemory.get(memory);
  if (!exports) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const code = Uint8Array.from(atob(shared ? bytes.sharedWasmBase64 : bytes.wasmBase64), (c) => c.charCodeAt(0));
    exports = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory } }).exports;
    byMemory.set(memory, exports);
  }
  return exports as unknown as T;
}
