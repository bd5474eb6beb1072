/**
 * The worker pool (Piscina): CPU work that grows with message size leaves the event loop.
 * Threads = config.workers.threads, or one per core; they start with the pool and stay
 * (idleTimeout ~24 days), each runs the TypeScript task module through tsx (workers/entry.mjs
 * registers it: Node 20 workers do not inherit `--import tsx`), and each gets the
 * process's compiled WASM kernels module. createWorkerPool runs a warm-up task on every
 * thread, so a broken task module, missing kernels or a worker that cannot start rejects the
 * returned promise (ERR_POOL_START) instead of failing the first real task.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { Config } from '../core/config/schema.ts';
import type { HeaderScan } from '../core/text/header-scan.ts';
import { KERNELS_WORKER_DATA_KEY, kernelModule } from '../core/text/wasm-instance.ts';
import { createOffloadCodec, type Codec } from './codec.ts';
import {
  WorkerTaskError,
  fail,
  unwrap,
  type TaskArg,
  type TaskName,
  type TaskOutcome,
  type TaskValue,
} from './protocol.ts';
import { asBuffer, transferListOf } from './transfer.ts';

export const TASK_MODULE = fileURLToPath(new URL('./tasks.ts', import.meta.url));
const ENTRY = fileURLToPath(new URL('./entry.mjs', import.meta.url));

// setTimeout's largest delay; anything larger fires at once.
const FOREVER_MS = 2 ** 31 - 1;

export interface WorkerPool {
  readonly threads: number;
  /** Runs a task; never rejects: failures come back as { ok: false, code, message }. */
  run<K extends TaskName>(task: K, arg: TaskArg<K>, transferList?: ArrayBuffer[]): Promise<TaskOutcome<TaskValue<K>>>;
  /** Typed helpers: the input buffer moves to the worker (do not reuse it); throw WorkerTaskError. */
  lz4Compress(data: Uint8Array): Promise<Buffer>;
  lz4Decompress(data: Uint8Array, size: number): Promise<Buffer>;
  foldAscii(data: Uint8Array): Promise<Uint8Array>;
  headerScan(data: Uint8Array): Promise<HeaderScan>;
  /** lz4 codec: inline below config.workers.offloadMinBytes, in the pool from there on. */
  readonly codec: Codec;
  /** For metrics: tasks waiting, tasks completed, share of thread time spent in tasks (0..1). */
  stats(): WorkerPoolStats;
  /** Waits for running tasks, then stops the threads. */
  close(): Promise<void>;
}

export interface WorkerPoolStats {
  threads: number;
  queued: number;
  completed: number;
  utilization: number;
}

export interface WorkerPoolOptions {
  /** Task module (tests point this elsewhere); defaults to workers/tasks.ts. */
  taskModule?: string;
  /** Tasks allowed to wait for a thread before run() answers ERR_POOL_BUSY (default threads × 256). */
  maxQueue?: number;
}

/** The parent's flags minus module preloads, which Node 20 rejects or ignores in workers. */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--import' || a === '--loader' || a === '--experimental-loader' || a === '--require' || a === '-r') i++;
    else if (!/^--(import|loader|experimental-loader|require)=/.test(a)) out.push(a);
  }
  return out;
}

export async function createWorkerPool(
  config: Pick<Config, 'workers'>,
  options: WorkerPoolOptions = {},
): Promise<WorkerPool> {
  const threads = config.workers.threads || availableParallelism();
  let piscina: Piscina;
  try {
    piscina = new Piscina({
      filename: ENTRY,
      name: 'dispatch',
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: FOREVER_MS,
      maxQueue: options.maxQueue ?? threads * 256,
      execArgv: workerExecArgv(),
      // Compiled once here (throws loudly if build/kernels.wasm is missing), instantiated per thread.
      workerData: {
        [KERNELS_WORKER_DATA_KEY]: kernelModule(),
        columbaTaskModule: pathToFileURL(options.taskModule ?? TASK_MODULE).href,
      },
    });
  } catch (err) {
    throw new WorkerTaskError('ERR_POOL_START', `worker pool did not start: ${(err as Error).message}`, { cause: err });
  }
  // A worker that dies outside a task is reported here; tasks in flight already reject.
  piscina.on('error', () => {});
  let closed = false;

  async function run<K extends TaskName>(task: K, arg: TaskArg<K>, transferList?: ArrayBuffer[]): Promise<TaskOutcome<TaskValue<K>>> {
    if (closed) return fail('ERR_POOL_CLOSED', `worker pool is closed (task ${task})`);
    try {
      const out = (await piscina.run({ task, arg }, { transferList })) as TaskOutcome<TaskValue<K>> | undefined;
      if (out && typeof out === 'object' && typeof out.ok === 'boolean') return out;
      return fail('ERR_TASK_UNKNOWN', `task ${task} returned no outcome`);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (/queue is at limit/i.test(message)) return fail('ERR_POOL_BUSY', `task ${task}: ${message}`);
      return fail('ERR_WORKER_FAILED', `task ${task} failed: ${message}`);
    }
  }

  // Warm-up: one task per thread; all threads are being spawned (minThreads), so this waits
  // until they load, and a load failure rejects here.
  const warm = await Promise.all(Array.from({ length: threads }, () => run('warmup', null)));
  const bad = warm.find((w) => !w.ok);
  if (bad && !bad.ok) {
    await piscina.destroy().catch(() => {});
    throw new WorkerTaskError('ERR_POOL_START', `worker pool did not start: ${bad.message}`);
  }

  const pool: WorkerPool = {
    threads,
    run,
    async lz4Compress(data) {
      return asBuffer(unwrap(await run('lz4Compress', { data }, transferListOf(data))));
    },
    async lz4Decompress(data, size) {
      return asBuffer(unwrap(await run('lz4Decompress', { data, size }, transferListOf(data))));
    },
    async foldAscii(data) {
      return unwrap(await run('foldAscii', { data }, transferListOf(data)));
    },
    async headerScan(data) {
      return unwrap(await run('headerScan', { data }, transferListOf(data)));
    },
    codec: undefined as unknown as Codec,
    stats() {
      return { threads, queued: piscina.queueSize, completed: piscina.completed, utilization: piscina.utilization };
    },
    async close() {
      if (closed) return;
      closed = true;
      await piscina.close();
    },
  };
  (pool as { codec: Codec }).codec = createOffloadCodec(pool, config.workers.offloadMinBytes);
  return pool;
}
