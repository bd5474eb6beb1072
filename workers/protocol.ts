/**
 * What crosses the worker boundary: task names, their plain-data arguments and results, and
 * the stable error codes. Results are `{ ok: true, value }` or `{ ok: false, code, message }`;
 * class identity does not survive a thread hop, so nothing here relies on instanceof.
 */
import type { HeaderScan } from '../core/text/header-scan.ts';

export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; code: WorkerErrorCode; message: string };

/** Stable error codes (listed in docs/workers-and-wasm.md). */
export const WORKER_ERROR_CODES = [
  /** An argument was missing or of the wrong type (e.g. not a Uint8Array, negative size). */
  'ERR_BAD_INPUT',
  /** lz4 data did not decode, or decoded to a size other than the one expected. */
  'ERR_LZ4_CORRUPT',
  /** The pool has no task of that name. */
  'ERR_TASK_UNKNOWN',
  /** The task threw unexpectedly or its worker died. */
  'ERR_WORKER_FAILED',
  /** The pool could not start (task module, kernels or a worker failed to load). */
  'ERR_POOL_START',
  /** The pool's task queue is full (maxQueue tasks already waiting): shed load, retry later. */
  'ERR_POOL_BUSY',
  /** A task was submitted after close(). */
  'ERR_POOL_CLOSED',
] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

/** Arguments and results of each task in workers/tasks.ts. */
export interface TaskTypes {
  warmup: { arg: null; value: { threadId: number; kernelMemoryBytes: number; kernelModuleSource: string | null } };
  lz4Compress: { arg: { data: Uint8Array }; value: Uint8Array };
  lz4Decompress: { arg: { data: Uint8Array; size: number }; value: Uint8Array };
  foldAscii: { arg: { data: Uint8Array }; value: Uint8Array };
  headerScan: { arg: { data: Uint8Array }; value: HeaderScan };
}
export type TaskName = keyof TaskTypes;
export type TaskArg<K extends TaskName> = TaskTypes[K]['arg'];
export type TaskValue<K extends TaskName> = TaskTypes[K]['value'];

/** Thrown by the pool's typed helpers and by the codec when a task answers ok: false. */
export class WorkerTaskError extends Error {
  readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerTaskError';
    this.code = code;
  }
}

export function fail(code: WorkerErrorCode, message: string): { ok: false; code: WorkerErrorCode; message: string } {
  return { ok: false, code, message };
}

/** The value of an outcome, or a WorkerTaskError carrying its code. */
export function unwrap<T>(outcome: TaskOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new WorkerTaskError(outcome.code, outcome.message);
}
