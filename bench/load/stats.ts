/** What one load run counts: latency per command and overall, errors by kind, a few samples. */
import { Histogram, type HistogramSummary } from './histogram.ts';
import { Rng } from '../corpus/rng.ts';
import { Conn } from './conn.ts';

export interface LoadResult {
  protocol: string;
  ops: number;
  seconds: number;
  opsPerSecond: number;
  latencyUs: HistogramSummary;
  byCommand: Record<string, HistogramSummary>;
  /** BAD replies, broken connections, unexpected replies: a client or server bug. */
  protocolErrors: number;
  /** NO / -ERR / 4xx replies: refusals a busy server may legitimately give. */
  refusals: number;
  /** Sessions (IMAP/POP3 logins, LMTP connections) completed. */
  sessions: number;
  /** Extra counters (bytes fetched, recipients delivered...). */
  counters: Record<string, number>;
  errorSamples: string[];
  histogram: Array<[number, number, number]>;
}

export class LoadStats {
  readonly total = new Histogram();
  private readonly perCommand = new Map<string, Histogram>();
  protocolErrors = 0;
  refusals = 0;
  sessions = 0;
  readonly counters: Record<string, number> = {};
  readonly errorSamples: string[] = [];

  constructor(readonly protocol: string) {}

  /** One completed command taking `us` microseconds. */
  record(command: string, us: number): void {
    this.total.record(us);
    let h = this.perCommand.get(command);
    if (!h) this.perCommand.set(command, (h = new Histogram()));
    h.record(us);
  }

  count(name: string, n = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + n;
  }

  protocolError(what: string): void {
    this.protocolErrors++;
    this.sample(what, this.protocolErrors);
  }

  refusal(what: string): void {
    this.refusals++;
    this.sample(what, this.refusals);
  }

  /** The first 10 of each kind, so that a flood of refusals never hides the protocol errors. */
  private sample(what: string, nth: number): void {
    if (nth <= 10) this.errorSamples.push(what.slice(0, 300));
  }

  get ops(): number {
    return this.total.count;
  }

  result(seconds: number): LoadResult {
    const byCommand: Record<string, HistogramSummary> = {};
    for (const [k, h] of [...this.perCommand].sort()) byCommand[k] = h.summary();
    return {
      protocol: this.protocol,
      ops: this.ops,
      seconds: Math.round(seconds * 1000) / 1000,
      opsPerSecond: seconds > 0 ? Math.round((this.ops / seconds) * 10) / 10 : 0,
      latencyUs: this.total.summary(),
      byCommand,
      protocolErrors: this.protocolErrors,
      refusals: this.refusals,
      sessions: this.sessions,
      counters: { ...this.counters },
      errorSamples: [...this.errorSamples],
      histogram: this.total.buckets(),
    };
  }
}

/**
 * Connects and reads the greeting, which must start with `okPrefix`; the wait counts as an
 * operation, `CONNECT` (a server that starts a process per connection makes clients wait here).
 */
export async function connectForGreeting(host: string, port: number, okPrefix: string, stats: LoadStats): Promise<Conn> {
  const start = process.hrtime.bigint();
  const conn = await Conn.open(host, port);
  const greeting = await conn.line();
  if (!greeting.startsWith(okPrefix)) {
    conn.close();
    throw new Error(`greeting: ${greeting}`);
  }
  stats.record('CONNECT', usSince(start));
  return conn;
}

/** Microseconds since `start` (a process.hrtime.bigint() value). */
export function usSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

/**
 * Shared stop rule: a deadline and an op budget, whichever comes first. The clock starts at
 * construction, or with `deferred` at start() (after a warm-up that is not measured).
 */
export class Budget {
  private deadline = Infinity;
  startedAt = 0;
  constructor(
    private readonly seconds: number,
    private readonly maxOps: number,
    private stats: LoadStats,
    opts: { deferred?: boolean } = {},
  ) {
    if (!opts.deferred) this.start(stats);
  }
  /** Starts the clock; ops count from `stats` on. */
  start(stats: LoadStats): void {
    this.stats = stats;
    this.startedAt = performance.now();
    this.deadline = this.startedAt + this.seconds * 1000;
  }
  get over(): boolean {
    if (this.startedAt === 0) return false;
    return performance.now() >= this.deadline || this.stats.ops >= this.maxOps;
  }
}

/** Resolves once `parties` callers have arrived (a client that fails its setup arrives too). */
export class Barrier {
  private left: number;
  private release!: () => void;
  readonly passed = new Promise<void>((r) => (this.release = r));
  constructor(parties: number) {
    this.left = parties;
    if (parties <= 0) this.release();
  }
  arrive(): Promise<void> {
    if (--this.left === 0) this.release();
    return this.passed;
  }
}

export interface UserCredential {
  name: string;
  password: string;
}

export interface LoadOptions {
  host: string;
  port: number;
  users: UserCredential[];
  clients: number;
  seconds: number;
  /** Stop after this many operations in all (default: unbounded within `seconds`). */
  maxOps?: number;
  seed: number;
}

/**
 * `opts.clients` clients at once, each running `session` again and again (user i mod users)
 * until the budget is spent; seconds count from the budget's start. A session that throws counts as a protocol error and its client
 * waits 50 ms before the next (never spin on a dead server).
 */
export async function runClients(
  opts: LoadOptions,
  stats: LoadStats,
  budget: Budget,
  session: (rng: Rng, user: UserCredential, client: number) => Promise<void>,
): Promise<LoadResult> {
  const root = new Rng(opts.seed);
  const client = async (i: number): Promise<void> => {
    const rng = root.fork();
    const user = opts.users[i % opts.users.length]!;
    while (!budget.over) {
      try {
        await session(rng, user, i);
      } catch (err) {
        stats.protocolError(`client ${i}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  return stats.result((performance.now() - budget.startedAt) / 1000);
}
