/**
 * SHA512-CRYPT (`$6$`) off the event loop: worker threads run the WASM kernel
 * (sha512-crypt-worker.mjs → sha512-crypt-wasm.ts, ~3 ms of CPU per hash at 5000 rounds).
 * Threads start lazily: the first on the first hash (or warmSha512Crypt() at server start), a
 * further one only when every running thread is busy, up to SHA512_CRYPT_MAX_THREADS (one per
 * core, at most 4: on a 2-core box two threads let a burst of logins use the core the event
 * loop is not using). A task goes to the least-loaded thread. Workers are unref'd while idle
 * (they never keep a process alive) and replaced if one dies; a task in flight on a dead
 * worker fails (verification then answers "no match").
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

type Op = 'verify' | 'encrypt';
interface Pending {
  resolve: (v: boolean | string) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
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

const WORKER_FILE = new URL('./sha512-crypt-worker.mjs', import.meta.url);
export const SHA512_CRYPT_MAX_THREADS = Math.max(1, Math.min(4, availableParallelism()));
const slots: Slot[] = [];
let nextId = 1;

function startSlot(): Slot {
  // No inherited --import flags: the worker registers tsx itself.
  const worker = new Worker(WORKER_FILE, { execArgv: [] });
  let announce!: (engine: string) => void;
  const slot: Slot = { worker, pending: new Map(), engine: null, ready: new Promise((r) => (announce = r)) };
  worker.unref();
  worker.on('message', (m: Reply) => {
    if (m.id === 0) {
      slot.engine = m.engine ?? 'unknown';
      announce(slot.engine);
      return;
    }
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    if (slot.pending.size === 0) worker.unref();
    if (m.ok) p.resolve(m.value!);
    else p.reject(new Error(m.message ?? 'sha512-crypt failed'));
  });
  const fail = (err: Error) => {
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    announce(`failed: ${err.message}`);
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`sha512-crypt worker exited (${code})`)));
  slots.push(slot);
  return slot;
}

// The least-loaded thread that has loaded; a further thread starts when every one is busy (it
// takes tasks once loaded: tsx and the kernel take a few hundred ms, more on a busy machine).
function pickSlot(): Slot {
  let best: Slot | null = null;
  let anyLoading = false;
  for (const s of slots) {
    if (s.engine === null) anyLoading = true;
    else if (!best || s.pending.size < best.pending.size) best = s;
  }
  if (best && best.pending.size > 0 && !anyLoading && slots.length < SHA512_CRYPT_MAX_THREADS) startSlot();
  if (best) return best;
  // Nothing loaded yet: queue on the first thread (its messages wait for it to load).
  return slots[0] ?? startSlot();
}

function run(op: Op, password: string, salt: string): Promise<boolean | string> {
  const slot = pickSlot();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    // Keep the process alive only while a task is outstanding.
    slot.worker.ref();
    slot.worker.postMessage({ id, op, password, salt });
  });
}

/**
 * Starts the first worker now rather than on the first login (tsx and the kernel take a few
 * hundred ms to load); resolves to its engine ('wasm', or why it fell back to unixcrypt).
 */
export function warmSha512Crypt(): Promise<string> {
  return (slots[0] ?? startSlot()).ready;
}

/** Running threads and tasks in flight (for tests and metrics). */
export function sha512CryptStats(): { threads: number; inFlight: number; engines: (string | null)[] } {
  return {
    threads: slots.length,
    inFlight: slots.reduce((n, s) => n + s.pending.size, 0),
    engines: slots.map((s) => s.engine),
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
