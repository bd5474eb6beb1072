/**
 * Efficiency counters (issue 5): an ObjectStore decorator counting the calls that reach the
 * driver, by operation and by the kind of object the key names (message, index, metadata). It
 * wraps whichever driver is configured, under the fscache when there is one, so the figures are
 * requests to the remote store, not cache hits. (The s3 driver additionally counts its HTTP
 * requests, HEAD-before-PUT and retries included: S3Store.requests.)
 *
 * `list` counts one per listing started, whatever the number of pages.
 */
import type { ObjectInfo, ObjectStore } from './object-store.ts';

export const REQUEST_OPS = ['put', 'get', 'head', 'delete', 'list'] as const;
export type RequestOp = (typeof REQUEST_OPS)[number];
export const OBJECT_KINDS = ['message', 'index', 'metadata', 'user', 'other'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/**
 * `hh/USER/m/GUID` → message, `hh/USER/i/...` → index, `hh/USER/meta...` → metadata, the whole
 * user prefix `hh/USER/` (one listing of heads and messages at login) → user.
 */
export function objectKindOf(key: string): ObjectKind {
  const parts = key.split('/');
  const seg = parts[2];
  if (seg === '' && parts.length === 3) return 'user';
  if (seg === 'm') return 'message';
  if (seg === 'i') return 'index';
  if (seg !== undefined && seg.startsWith('meta')) return 'metadata';
  return 'other';
}

/** Plain counters, read by the metrics registry at scrape time and by the bench. */
export class RequestCounts {
  private readonly n = new Map<string, number>();
  /** HTTP requests of the wrapped driver when it counts them (s3: retries, HEAD before PUT). */
  http: Readonly<Record<RequestOp, number>> | null = null;

  add(op: RequestOp, kind: ObjectKind): void {
    const k = `${op}:${kind}`;
    this.n.set(k, (this.n.get(k) ?? 0) + 1);
  }

  /** Calls of `op` (on objects of `kind`, or all kinds). */
  get(op: RequestOp, kind?: ObjectKind): number {
    if (kind) return this.n.get(`${op}:${kind}`) ?? 0;
    let sum = 0;
    for (const k of OBJECT_KINDS) sum += this.n.get(`${op}:${k}`) ?? 0;
    return sum;
  }

  /** Every (op, kind) pair seen, with its count. */
  entries(): { op: RequestOp; kind: ObjectKind; count: number }[] {
    return [...this.n].map(([k, count]) => {
      const [op, kind] = k.split(':') as [RequestOp, ObjectKind];
      return { op, kind, count };
    });
  }

  /** A copy, to subtract from a later one (requests per operation in a bench phase). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.n);
  }
}

const COUNTS = Symbol.for('columba.requestCounts');

/** The counters attached to a store by createObjectStore (through the cache), if any. */
export function requestCountsOf(store: ObjectStore): RequestCounts | null {
  return (store as { [COUNTS]?: RequestCounts })[COUNTS] ?? null;
}

/** Make `counts` findable on `store` (an outer wrapper such as the fscache). */
export function attachRequestCounts<T extends ObjectStore>(store: T, counts: RequestCounts): T {
  Object.defineProperty(store, COUNTS, { value: counts, enumerable: false });
  return store;
}

/** Wrap `inner`; every call is counted before it is made (failed ones too: they cost a request). */
export function createCountingStore(inner: ObjectStore, counts = new RequestCounts()): ObjectStore & { readonly counts: RequestCounts } {
  const http = (inner as { requests?: unknown }).requests;
  if (http && typeof http === 'object') counts.http = http as Record<RequestOp, number>;
  const store = {
    counts,
    get driver() {
      return inner.driver;
    },
    put(key: string, data: Uint8Array, meta?: Record<string, string>): Promise<void> {
      counts.add('put', objectKindOf(key));
      return inner.put(key, data, meta);
    },
    get(key: string): Promise<{ data: Buffer; meta: Record<string, string> }> {
      counts.add('get', objectKindOf(key));
      return inner.get(key);
    },
    head(key: string): Promise<ObjectInfo | null> {
      counts.add('head', objectKindOf(key));
      return inner.head(key);
    },
    delete(key: string): Promise<void> {
      counts.add('delete', objectKindOf(key));
      return inner.delete(key);
    },
    list(prefix: string): AsyncIterable<string> {
      counts.add('list', objectKindOf(prefix));
      return inner.list(prefix);
    },
    close(): Promise<void> {
      return inner.close();
    },
  };
  return attachRequestCounts(store, counts);
}
