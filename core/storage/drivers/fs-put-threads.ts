/**
 * Object puts of the fs store on threads of their own (fs-put-worker.mjs): each put is one
 * message out and one back, its syscalls (create, write, fdatasync, link, folder fsync, unlink of
 * the temp name) synchronous in the thread.
 *
 * Why: on libuv's pool a put is five hops, and under load each hop's completion waits behind
 * every other session's callbacks on the event loop. In the persistent IMAP mix an APPEND took
 * 63-72 ms mean at 50 clients, most of it in those queues. With the put on a thread: 41-45 ms,
 * and the mix's p99 fell by a quarter (117-137 → 80-94 ms at 50 clients, 389-414 → 283-336 ms
 * at 200). Throughput did not change: the event loop is the limit either way, and the other
 * commands' p50 rose by the time APPEND gave back (docs/bench.md, "Object puts on threads").
 *
 * Threads start on the first put, one more whenever every running one is busy, up to the
 * limit; they are unref'd while idle. A thread that dies fails its puts in flight (as an EIO)
 * and is replaced by the next put.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** The default thread count (storage.fsPutThreads): one per core, at most 2 (they mostly wait). */
export const FS_PUT_DEFAULT_THREADS = Math.max(1, Math.min(2, availableParallelism()));
/** Larger puts stay on the pool path: handing one to a thread copies it on the event loop. */
export const FS_PUT_THREAD_MAX_BYTES = 1024 * 1024;

interface Pending {
  resolve: () => void;
  reject: (e: NodeJS.ErrnoException) => void;
}
interface Thread {
  worker: Worker;
  inFlight: Map<number, Pending>;
}
interface Reply {
  id: number;
  ok: boolean;
  code?: string | null;
  message?: string;
}

const WORKER_FILE = new URL('./fs-put-worker.mjs', import.meta.url);

export class PutThreads {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  /** Threads started so far, replacements included (tests check the replacement). */
  started = 0;

  constructor(private readonly max: number) {}

  /** Writes `parts` to `tmp`, syncs it, links it as `file` (in `dir`) and syncs `dir`. */
  put(tmp: string, file: string, dir: string, parts: Uint8Array[]): Promise<void> {
    let t: Thread | null = null;
    for (const x of this.threads) if (!t || x.inFlight.size < t.inFlight.size) t = x;
    if (!t || (t.inFlight.size > 0 && this.threads.length < this.max)) t = this.start();
    const thread = t;
    // One exact-size copy, transferred: cloning a view would copy its whole backing store.
    let size = 0;
    for (const b of parts) size += b.byteLength;
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const b of parts) {
      bytes.set(b, at);
      at += b.byteLength;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.inFlight.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, tmp, file, dir, bytes }, [bytes.buffer]);
    });
  }

  /** Stops every thread; puts in flight fail. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  /** Running threads and puts in flight (tests). */
  stats(): { threads: number; inFlight: number } {
    return { threads: this.threads.length, inFlight: this.threads.reduce((n, t) => n + t.inFlight.size, 0) };
  }

  private start(): Thread {
    // No inherited --import flags: the worker is plain JS.
    const worker = new Worker(WORKER_FILE, { execArgv: [] });
    const t: Thread = { worker, inFlight: new Map() };
    this.started++;
    worker.unref();
    worker.on('message', (m: Reply) => {
      const p = t.inFlight.get(m.id);
      if (!p) return;
      t.inFlight.delete(m.id);
      if (t.inFlight.size === 0) worker.unref();
      if (m.ok) p.resolve();
      else p.reject(Object.assign(new Error(m.message ?? 'put failed'), { code: m.code ?? undefined }));
    });
    const fail = (err: Error) => {
      const i = this.threads.indexOf(t);
      if (i < 0) return;
      this.threads.splice(i, 1);
      for (const p of t.inFlight.values()) p.reject(Object.assign(err, { code: 'EIO' }));
      t.inFlight.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`object put thread exited (${code})`)));
    this.threads.push(t);
    return t;
  }
}
