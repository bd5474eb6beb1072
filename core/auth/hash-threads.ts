/**
 * Password hashing off the event loop and off libuv's thread pool: worker threads of their own
 * run SHA512-CRYPT (`$6$`, the WASM kernel of sha512-crypt-wasm.ts, ~3 ms of CPU per hash at
 * 5000 rounds) and argon2id verification (libsodium, ~100 ms and 64 MiB per verify). argon2id
 * used to run on the libuv pool, whose 4 threads also serve every file-system call of the mail
 * store: four argon2id logins at once occupied it and held up all mail I/O for a tenth of a
 * second. (Raising UV_THREADPOOL_SIZE from inside the process has no effect, the pool exists
 * before our first line runs, and a larger pool measured 7-12 % slower on the IMAP mix:
 * docs/auth.md.)
 *
 * Tasks wait in one FIFO here and go to a thread only when it has loaded and has a free slot
 * (PER_THREAD in flight), so a burst of logins never queues behind a thread that is still
 * starting or busy while another is free. Threads start lazily: the first on the first hash (or
 * warmHashThreads()), a further one when tasks wait and every loaded thread is full, up to
 * auth.hashThreads (default one per core, at most 4). It was cores - 1, to leave a core to the
 * event loop; on 2 cores a second thread measured 24-38 % more IMAP logins per second with
 * half the p99, since the event loop is a third idle in a login burst (docs/auth.md). Threads
 * are unref'd while idle (they never keep a process alive) and replaced if one dies; a task in
 * flight on a dead thread fails (verification answers "no").
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

type Op = 'verify' | 'encrypt' | 'argon2-verify';
interface Task {
  id: number;
  op: Op;
  password: string;
  salt: string;
  resolve: (v: boolean | string) => void;
  reject: (e: Error) => void;
}
interface Thread {
  worker: Worker;
  inFlight: Map<number, Task>;
  /** 'wasm', or why the worker fell back to unixcrypt; null until the worker has loaded. */
  engine: string | null;
  ready: Promise<string>;
}
interface Reply {
  id: number;
  ok: boolean;
  value?: boolean | string;
  message?: string;
  engine?: string;
}

const WORKER_FILE = new URL('./hash-worker.mjs', import.meta.url);
/** The default thread limit: one per core, at most 4 (auth.hashThreads overrides it). */
export const HASH_DEFAULT_THREADS = Math.max(1, Math.min(4, availableParallelism()));
let maxThreads = HASH_DEFAULT_THREADS;

/** Sets the thread limit (auth.hashThreads; 0 = the default). Running threads are kept. */
export function setHashThreadLimit(n: number): void {
  maxThreads = n > 0 ? n : HASH_DEFAULT_THREADS;
}
let nice = 0;

/**
 * Sets the OS priority (nice) of threads started from now on (auth.hashNice). Why: on a busy
 * machine a hash thread that wakes takes the CPU from the event loop for a time slice, so every
 * logged-in session's command waits behind the logins. At nice 5 the login mix's p50 fell from
 * 8-12 ms to 1-2 ms on 2 cores, LOGIN itself waited longer (p99 up by a third, still under
 * Dovecot's), and throughput did not move (docs/auth.md).
 */
export function setHashThreadNice(n: number): void {
  nice = n;
}
// Two per thread: the next task is already there when one finishes (a round trip is ~50 µs).
const PER_THREAD = 2;
const threads: Thread[] = [];
const waiting: Task[] = [];
let nextId = 1;

function startThread(): Thread {
  // No inherited --import flags: the worker registers tsx itself.
  const worker = new Worker(WORKER_FILE, { execArgv: [], workerData: { nice } });
  let announce!: (engine: string) => void;
  const t: Thread = { worker, inFlight: new Map(), engine: null, ready: new Promise((r) => (announce = r)) };
  worker.unref();
  worker.on('message', (m: Reply) => {
    if (m.id === 0) {
      t.engine = m.engine ?? 'unknown';
      announce(t.engine);
    } else {
      const task = t.inFlight.get(m.id);
      if (!task) return;
      t.inFlight.delete(m.id);
      if (m.ok) task.resolve(m.value!);
      else task.reject(new Error(m.message ?? 'password hashing failed'));
    }
    pump();
  });
  const fail = (err: Error) => {
    const at = threads.indexOf(t);
    if (at < 0) return;
    threads.splice(at, 1);
    announce(`failed: ${err.message}`);
    for (const task of t.inFlight.values()) task.reject(err);
    t.inFlight.clear();
    pump();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`password hashing worker exited (${code})`)));
  threads.push(t);
  return t;
}

// Hands waiting tasks to loaded threads with room; starts a thread when that is not enough.
function pump(): void {
  while (waiting.length > 0) {
    let best: Thread | null = null;
    for (const t of threads) {
      if (t.engine !== null && t.inFlight.size < PER_THREAD && (!best || t.inFlight.size < best.inFlight.size)) best = t;
    }
    if (!best) break;
    const task = waiting.shift()!;
    best.inFlight.set(task.id, task);
    best.worker.postMessage({ id: task.id, op: task.op, password: task.password, salt: task.salt });
  }
  const loading = threads.some((t) => t.engine === null);
  if (waiting.length > 0 && !loading && threads.length < maxThreads) startThread();
  // Keep the process alive only while a thread has work (or work waits for it to load).
  for (const t of threads) {
    if (t.inFlight.size > 0 || (t.engine === null && waiting.length > 0)) t.worker.ref();
    else t.worker.unref();
  }
}

function run(op: Op, password: string, salt: string): Promise<boolean | string> {
  return new Promise((resolve, reject) => {
    waiting.push({ id: nextId++, op, password, salt, resolve, reject });
    pump();
  });
}

/**
 * Starts the first worker now rather than on the first login (tsx and the kernel take a few
 * hundred ms to load); resolves to its engine ('wasm', or why it fell back to unixcrypt).
 */
export function warmHashThreads(): Promise<string> {
  return (threads[0] ?? startThread()).ready;
}

/** Running threads, tasks in flight and waiting (for tests and metrics). */
export function hashThreadStats(): { threads: number; inFlight: number; waiting: number; engines: (string | null)[] } {
  return {
    threads: threads.length,
    inFlight: threads.reduce((n, t) => n + t.inFlight.size, 0),
    waiting: waiting.length,
    engines: threads.map((t) => t.engine),
  };
}

/** True when `password` matches the `$6$...` hash. */
export async function sha512CryptVerify(password: string, hash: string): Promise<boolean> {
  return (await run('verify', password, hash)) === true;
}

/** `$6$salt$hash` for `password` with the given `$6$salt` prefix. */
export async function sha512CryptHash(password: string, saltSpec: string): Promise<string> {
  return String(await run('encrypt', password, saltSpec));
}

/** True when `password` matches the libsodium `$argon2id$...` string (NUL-free, ASCII). */
export async function argon2idVerify(password: string, encoded: string): Promise<boolean> {
  return (await run('argon2-verify', password, encoded)) === true;
}
