/**
 * The pool's task module: each named export is one task, taking and returning plain data.
 * Bytes come in transferred (see transfer.ts) and go back transferred via Piscina's move().
 * A task never throws for bad input: it answers { ok: false, code, message }.
 * Loaded once per worker thread; the kernels instance is created at load (the compiled
 * module comes from the main thread through workerData).
 */
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { foldAsciiBytes, kernelMemoryBytes, scanHeader } from '../core/text/kernels.ts';
import { kernelModuleSource } from '../core/text/wasm-instance.ts';
import { lz4CompressBytes, lz4DecompressBytes } from './lz4.ts';
import { fail, type TaskOutcome, type TaskTypes, type TaskValue } from './protocol.ts';
import { isBytes, transferListOf } from './transfer.ts';

type Arg<K extends keyof TaskTypes> = TaskTypes[K]['arg'];
type Reply<K extends keyof TaskTypes> = TaskOutcome<TaskValue<K>>;

// Piscina moves what a returned object lists under transferableSymbol (top level only).
class Moving {
  constructor(
    private readonly outcome: unknown,
    private readonly list: ArrayBuffer[],
  ) {}
  get [transferableSymbol](): ArrayBuffer[] {
    return this.list;
  }
  get [valueSymbol](): unknown {
    return this.outcome;
  }
}

function moved<T>(outcome: TaskOutcome<T>, views: ArrayBufferView[]): TaskOutcome<T> {
  if (!outcome.ok) return outcome;
  const list = transferListOf(...views);
  return list.length === 0 ? outcome : (move(new Moving(outcome, list) as never) as unknown as TaskOutcome<T>);
}

function guarded<K extends keyof TaskTypes>(name: K, body: (arg: Arg<K>) => Reply<K>): (arg: Arg<K>) => Reply<K> {
  return (arg) => {
    try {
      return body(arg);
    } catch (err) {
      return fail('ERR_WORKER_FAILED', `${name}: ${(err as Error)?.message ?? String(err)}`);
    }
  };
}

const bytesOf = (arg: unknown): unknown => (arg && typeof arg === 'object' ? (arg as { data?: unknown }).data : undefined);

/** Proves the worker loaded (module, kernels, lz4); run once per thread at pool start. */
export const warmup = guarded('warmup', () => {
  lz4CompressBytes(new Uint8Array(16));
  scanHeader(new TextEncoder().encode('A: b\r\n\r\n'));
  return { ok: true, value: { threadId, kernelMemoryBytes: kernelMemoryBytes(), kernelModuleSource: kernelModuleSource() } };
});

export const lz4Compress = guarded('lz4Compress', (arg) => {
  const out = lz4CompressBytes(bytesOf(arg));
  return moved(out, out.ok ? [out.value] : []);
});

export const lz4Decompress = guarded('lz4Decompress', (arg) => {
  const out = lz4DecompressBytes(bytesOf(arg), (arg as { size?: unknown } | null)?.size);
  return moved(out, out.ok ? [out.value] : []);
});

export const foldAscii = guarded('foldAscii', (arg) => {
  const data = bytesOf(arg);
  if (!isBytes(data)) return fail('ERR_BAD_INPUT', 'foldAscii: data must be a Uint8Array');
  const value = foldAsciiBytes(data);
  return moved({ ok: true, value }, [value]);
});

export const headerScan = guarded('headerScan', (arg) => {
  const data = bytesOf(arg);
  if (!isBytes(data)) return fail('ERR_BAD_INPUT', 'headerScan: data must be a Uint8Array');
  const value = scanHeader(data);
  return moved({ ok: true, value }, [value.fieldStarts]);
});
