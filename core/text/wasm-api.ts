/**
 * The slice of the WebAssembly JS API the kernels use, typed here because the project's
 * tsconfig has no DOM lib (which is where TypeScript declares WebAssembly). Local types keep
 * the global namespace clean for anyone who later adds that lib.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled module (opaque; structured-cloneable into worker threads). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports?: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** The runtime's WebAssembly object. */
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
