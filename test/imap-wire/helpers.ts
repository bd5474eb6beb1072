/**
 * Helpers for the wire-layer suites: drive an ImapReceiver over some input (whole, split at a
 * given point, byte by byte, or in random chunks) and collect its events as plain JSON.
 */
import { ImapReceiver, type ReceiverEvent, type ReceiverLimits } from '../../protocols/imap/wire/index.ts';
import { configSchema } from '../../core/config/schema.ts';

export const defaultLimits: ReceiverLimits = configSchema.parse({}).limits;

export interface FeedOptions {
  limits?: Partial<ReceiverLimits>;
  authenticated?: boolean;
  utf8Accept?: boolean;
  rawLineMode?: boolean;
}

export function makeReceiver(opts: FeedOptions = {}): ImapReceiver {
  const r = new ImapReceiver({ ...defaultLimits, ...opts.limits });
  r.setAuthenticated(opts.authenticated ?? true);
  r.setUtf8Accept(opts.utf8Accept ?? false);
  r.setRawLineMode(opts.rawLineMode ?? false);
  return r;
}

/** Buffers become `{ bytes: 'text' }`, Dates ISO strings: easy to write as expectations. */
export function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { bytes: v.toString('latin1') };
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

/** Drain events until need-more; need-more itself is not recorded. */
export function drain(r: ImapReceiver, into: unknown[]): void {
  for (let guard = 0; guard < 100_000; guard++) {
    const e: ReceiverEvent = r.next();
    if (e.kind === 'need-more') return;
    into.push(plain(e));
  }
  throw new Error('receiver did not settle');
}

/** Feed chunks one by one, draining after each. */
export function feedChunks(chunks: Buffer[], opts: FeedOptions = {}): unknown[] {
  const r = makeReceiver(opts);
  const events: unknown[] = [];
  for (const c of chunks) {
    r.push(c);
    drain(r, events);
  }
  return events;
}

export function feed(input: string | Buffer, opts: FeedOptions = {}): unknown[] {
  return feedChunks([typeof input === 'string' ? Buffer.from(input, 'utf8') : input], opts);
}

export function splitAt(input: Buffer, points: number[]): Buffer[] {
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(input.subarray(last, p));
    last = p;
  }
  out.push(input.subarray(last));
  return out;
}

/** Deterministic PRNG (mulberry32) so a failing random split can be replayed by seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomChunks(input: Buffer, seed: number, maxChunk = 17): Buffer[] {
  const next = rng(seed);
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < input.length) {
    const size = 1 + Math.floor(next() * maxChunk);
    out.push(input.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

/** The parse of one complete command (CRLF added; continuation events skipped), as plain JSON. */
export function parseOne(line: string, opts: FeedOptions = {}): unknown {
  const events = feed(line + '\r\n', opts).filter((e) => (e as { kind: string }).kind !== 'need-continuation');
  if (events.length !== 1) throw new Error(`expected one event for ${JSON.stringify(line)}, got ${JSON.stringify(events)}`);
  return events[0];
}
