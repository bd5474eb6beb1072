/**
 * Bounded concurrency plus retries with jittered exponential back-off, for network drivers.
 * Only errors the caller classifies as transient are retried; everything else fails at once.
 */

export interface RequestGateOptions {
  /** Requests allowed in flight at once; further ones queue in arrival order. */
  maxInFlight: number;
  /** Extra attempts after the first for transient failures. */
  retries: number;
  /** First back-off ceiling in ms (doubles per attempt, full jitter). */
  baseDelayMs?: number;
  /** Largest back-off ceiling in ms. */
  maxDelayMs?: number;
}

export interface RequestGate {
  run<T>(op: () => Promise<T>, isTransient: (err: unknown) => boolean): Promise<T>;
  readonly inFlight: number;
  readonly queued: number;
}

export function createRequestGate(opts: RequestGateOptions): RequestGate {
  const max = Math.max(1, Math.floor(opts.maxInFlight));
  const base = opts.baseDelayMs ?? 50;
  const cap = opts.maxDelayMs ?? 2000;
  const waiters: (() => void)[] = [];
  let active = 0;

  const acquire = (): Promise<void> => {
    if (active < max) {
      active++;
      return Promise.resolve();
    }
    // The slot is handed over directly by release(), so `active` stays counted.
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (): void => {
    const next = waiters.shift();
    if (next) next();
    else active--;
  };

  async function attempt<T>(op: () => Promise<T>): Promise<T> {
    await acquire();
    try {
      return await op();
    } finally {
      release();
    }
  }

  return {
    async run(op, isTransient) {
      for (let i = 0; ; i++) {
        try {
          return await attempt(op);
        } catch (err) {
          if (i >= opts.retries || !isTransient(err)) throw err;
          // Full jitter: spreads retries of many clients hitting one overloaded backend.
          const ceiling = Math.min(cap, base * 2 ** i);
          await new Promise((r) => setTimeout(r, Math.random() * ceiling));
        }
      }
    },
    get inFlight() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
  };
}
