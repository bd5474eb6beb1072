/**
 * SHA512-CRYPT (`$6$`) off the event loop: a couple of lazily started worker threads run
 * unixcrypt. Workers are unref'd (they never keep a process alive) and replaced if one dies;
 * a task in flight on a dead worker fails (verification then answers "no match").
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
}

const WORKER_FILE = new URL('./sha512-crypt-worker.mjs', import.meta.url);
const THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));
const slots: (Slot | null)[] = Array.from({ length: THREADS }, () => null);
let nextId = 1;
let turn = 0;

function startSlot(index: number): Slot {
  // No inherited --import flags: the worker is plain JS.
  const worker = new Worker(WORKER_FILE, { execArgv: [] });
  const slot: Slot = { worker, pending: new Map() };
  worker.unref();
  worker.on('message', (m: { id: number; ok: boolean; value?: boolean | string; message?: string }) => {
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    if (slot.pending.size === 0) worker.unref();
    if (m.ok) p.resolve(m.value!);
    else p.reject(new Error(m.message ?? 'sha512-crypt failed'));
  });
  const fail = (err: Error) => {
    if (slots[index] === slot) slots[index] = null;
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`sha512-crypt worker exited (${code})`)));
  return slot;
}

function run(op: Op, password: string, salt: string): Promise<boolean | string> {
  const index = turn++ % THREADS;
  const slot = (slots[index] ??= startSlot(index));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    // Keep the process alive only while a task is outstanding.
    slot.worker.ref();
    slot.worker.postMessage({ id, op, password, salt });
  });
}

/** True when `password` matches the `$6$...` hash. */
export async function sha512CryptVerify(password: string, hash: string): Promise<boolean> {
  return (await run('verify', password, hash)) === true;
}

/** `$6$salt$hash` for `password` with the given `$6$salt` prefix. */
export async function sha512CryptHash(password: string, saltSpec: string): Promise<string> {
  return String(await run('encrypt', password, saltSpec));
}
