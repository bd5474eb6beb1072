/**
 * Per-IP delay after failed logins: the first failure waits `baseMs`, each further failure from
 * the same IP doubles it up to `maxMs`. A success from that IP, or `quietMs` without failures,
 * starts over. The clock is injectable so tests assert on values, not on wall time.
 * Memory is bounded: past `maxTracked` IPs the oldest entries are dropped.
 */
export interface FailureDelayOptions {
  baseMs: number;
  maxMs: number;
  /** Forget an IP's failures after this long without a new one. */
  quietMs?: number;
  maxTracked?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lastFailure: number;
}

export class FailureDelay {
  private readonly entries = new Map<string, Entry>();
  private readonly quietMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;

  constructor(private readonly opts: FailureDelayOptions) {
    this.quietMs = opts.quietMs ?? Math.max(60_000, opts.maxMs * 4);
    this.maxTracked = opts.maxTracked ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /** The delay for the n-th consecutive failure (n >= 1). */
  delayForCount(n: number): number {
    if (n <= 0 || this.opts.baseMs <= 0) return 0;
    // 2^(n-1) overflows to Infinity for large n; min() keeps it at the ceiling.
    return Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** Math.min(n - 1, 60));
  }

  /** Record a failure from `ip` and return how long to wait before answering it. */
  recordFailure(ip: string): number {
    const t = this.now();
    let e = this.entries.get(ip);
    if (e && t - e.lastFailure > this.quietMs) e = undefined;
    const failures = (e?.failures ?? 0) + 1;
    // Re-insert so Map order is least-recently-failed first (cheap LRU eviction).
    this.entries.delete(ip);
    this.entries.set(ip, { failures, lastFailure: t });
    if (this.entries.size > this.maxTracked) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return this.delayForCount(failures);
  }

  recordSuccess(ip: string): void {
    this.entries.delete(ip);
  }

  /** Consecutive failures currently counted for `ip`. */
  failures(ip: string): number {
    const e = this.entries.get(ip);
    if (!e || this.now() - e.lastFailure > this.quietMs) return 0;
    return e.failures;
  }
}
