/**
 * The kernels' WebAssembly plumbing (undici-style):
 * - one WebAssembly.Module per process: compiled from build/kernels.wasm on the main thread,
 *   handed to worker threads through workerData (KERNELS_WORKER_DATA_KEY) so they skip compiling;
 * - one Instance per thread, created when this file is first imported;
 * - one scratch region after the module's static data that grows in 64 KiB pages and is
 *   reused by every call (the runtime is "stub": nothing inside WASM allocates);
 * - typed-array views re-derived whenever memory.buffer changes (memory.grow detaches them).
 * A missing build fails loudly at import with a message that says how to produce it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { Wasm, type WasmMemory, type WasmModule } from './wasm-api.ts';

export const KERNELS_WASM_PATH = fileURLToPath(new URL('../../build/kernels.wasm', import.meta.url));

/** workerData key under which the pool passes the compiled module to its threads. */
export const KERNELS_WORKER_DATA_KEY = 'columbaKernelsModule';

/** Raw exports of wasm/kernels.ts (pointers and lengths are byte offsets into memory). */
export interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  foldAscii(ptr: number, len: number): void;
  indexOfFolded(hay: number, hayLen: number, needle: number, needleLen: number): number;
  headerScan(ptr: number, len: number, from: number, out: number, cap: number): number;
  headerEnd(): number;
  bodyStart(): number;
  resumeAt(): number;
}

/** Thrown when build/kernels.wasm is missing or invalid; `code` is stable. */
export class KernelLoadError extends Error {
  readonly code = 'ERR_KERNELS_LOAD';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KernelLoadError';
  }
}

/** Compiles the kernels from a .wasm file; throws KernelLoadError with a fix-it message. */
export function compileKernelModule(path: string = KERNELS_WASM_PATH): WasmModule {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new KernelLoadError(
      `WASM kernels not found at ${path}: run \`npm run build\` (asc builds wasm/ into build/)`,
      { cause: err },
    );
  }
  try {
    return new Wasm.Module(bytes);
  } catch (err) {
    throw new KernelLoadError(`WASM kernels at ${path} do not compile: run \`npm run build\` again`, {
      cause: err,
    });
  }
}

function moduleFromWorkerData(): WasmModule | null {
  const data = workerData as Record<string, unknown> | null | undefined;
  const mod = data && typeof data === 'object' ? data[KERNELS_WORKER_DATA_KEY] : undefined;
  return mod instanceof Wasm.Module ? mod : null;
}

let processModule: WasmModule | null = null;
let moduleSource: 'workerData' | 'file' | null = null;

/** The process's compiled module (compiled on first call, or the one a pool passed in). */
export function kernelModule(): WasmModule {
  if (!processModule) {
    const given = moduleFromWorkerData();
    moduleSource = given ? 'workerData' : 'file';
    processModule = given ?? compileKernelModule();
  }
  return processModule;
}

/** Where this thread's module came from (a worker should say 'workerData': no recompile). */
export function kernelModuleSource(): 'workerData' | 'file' | null {
  return moduleSource;
}

const PAGE = 65536;

/** One thread's instance and its growable scratch region. */
export class KernelInstance {
  readonly exports: KernelExports;
  /** Start of scratch (16-byte aligned, after static data). */
  readonly base: number;
  private buffer: ArrayBuffer;
  private u8View: Uint8Array;

  constructor(mod: WasmModule) {
    const instance = new Wasm.Instance(mod, {
      env: {
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`WASM kernel abort at ${line}:${col}`);
        },
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    this.base = this.exports.heapBase();
    this.buffer = this.exports.memory.buffer;
    this.u8View = new Uint8Array(this.buffer);
  }

  /** Makes sure scratch holds `bytes` bytes from `base`; grows memory in whole pages. */
  reserve(bytes: number): void {
    const need = this.base + bytes - this.exports.memory.buffer.byteLength;
    if (need > 0) this.exports.memory.grow(Math.ceil(need / PAGE));
  }

  /** A byte view of all memory, re-derived if memory grew since the last call. */
  get u8(): Uint8Array {
    const current = this.exports.memory.buffer;
    if (current !== this.buffer) {
      this.buffer = current;
      this.u8View = new Uint8Array(current);
    }
    return this.u8View;
  }

  /** Bytes of memory currently allocated (for tests and metrics). */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}

let threadInstance: KernelInstance | null = null;

/** This thread's instance (created once). */
export function kernelInstance(): KernelInstance {
  threadInstance ??= new KernelInstance(kernelModule());
  return threadInstance;
}
