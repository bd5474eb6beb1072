/**
 * A key index: the listing companion of object stores that cannot list (Scality sproxyd).
 * Dovecot keeps such an index in Cassandra (fs-dictmap); Columba keeps it in Redis
 * (key-index-redis.ts) or, for tests, in memory (key-index-memory.ts).
 *
 * Two sets per partition (the first `depth` key segments, i.e. one user with the default 2):
 * - committed: keys whose object is known to exist (lexicographic, ZRANGEBYLEX in Redis);
 * - pending: keys with a put or delete in progress, scored by a stamp (time of the mark).
 * put = beginPut (pending) -> PUT -> commitPut (committed, off pending): the key is indexed
 * before the object exists, and the put is acknowledged only after it is committed.
 * delete = beginDelete (committed -> pending) -> DELETE -> finishDelete (off both).
 * A crash anywhere leaves at most a pending entry; `listIndexed` settles pending entries with a
 * HEAD: present -> promoted (it is listed), absent -> skipped (dropped once older than the grace
 * period, so an in-flight put is never dropped). So a listing shows exactly the objects a HEAD
 * would find at that moment, and never a half-done put.
 */
import { compareKeys } from './drivers/memory.ts';

export interface PendingEntry {
  key: string;
  /** Opaque mark of when/who marked it; promote/drop act only if it is unchanged. */
  stamp: number;
}

export interface KeyIndex {
  /** Segments per partition (2: `hh/user/`). */
  readonly depth: number;
  beginPut(key: string): Promise<void>;
  commitPut(key: string): Promise<void>;
  beginDelete(key: string): Promise<void>;
  finishDelete(key: string): Promise<void>;
  /** Committed keys of `partition` starting with `prefix`, in byte order. */
  committed(partition: string, prefix: string): AsyncIterable<string>;
  /** Pending entries of `partition` starting with `prefix` (few: in-flight or crashed). */
  pending(partition: string, prefix: string): Promise<PendingEntry[]>;
  /** Known partitions starting with `prefix`. */
  partitions(prefix: string): Promise<string[]>;
  /** pending -> committed, if the entry still carries `stamp`. */
  promote(entry: PendingEntry): Promise<void>;
  /** Remove a pending entry, if it still carries `stamp`. */
  drop(entry: PendingEntry): Promise<void>;
  close(): Promise<void>;
}

/** The key up to and including its `depth`-th '/' (or its last '/', or '' when none). */
export function partitionOf(key: string, depth: number): string {
  let end = 0;
  let seen = 0;
  for (let i = 0; i < key.length && seen < depth; i++) {
    if (key.charCodeAt(i) === 0x2f) {
      seen++;
      end = i + 1;
    }
  }
  return key.slice(0, end);
}

function slashes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0x2f) n++;
  return n;
}

let lastStamp = 0;
/**
 * New stamps: ms time * 1000 plus randomness (an exact integer in a double), strictly increasing
 * within the process so two marks of one key never share a stamp here; across processes the
 * random part makes a tie unlikely, and a tie only delays a promote/drop to the next listing.
 */
export function newStamp(now = Date.now()): number {
  lastStamp = Math.max(now * 1000 + Math.floor(Math.random() * 1000), lastStamp + 1);
  return lastStamp;
}
export const stampTime = (stamp: number): number => Math.floor(stamp / 1000);

export interface ListOptions {
  /** Does the object exist right now (a HEAD)? Used only for pending entries. */
  exists: (key: string) => Promise<boolean>;
  /** Pending entries whose object is absent are dropped once older than this. */
  pendingGraceMs: number;
  now?: () => number;
}

/** Settle the pending entries of one partition; returns the keys to list, sorted. */
async function settlePending(index: KeyIndex, partition: string, prefix: string, opts: ListOptions): Promise<string[]> {
  const entries = await index.pending(partition, prefix);
  const out: string[] = [];
  const now = (opts.now ?? Date.now)();
  for (const e of entries) {
    if (await opts.exists(e.key)) {
      await index.promote(e);
      out.push(e.key);
    } else if (now - stampTime(e.stamp) > opts.pendingGraceMs) {
      await index.drop(e);
    }
  }
  return out.sort(compareKeys);
}

async function* mergeSorted(stream: AsyncIterable<string>, extra: string[]): AsyncGenerator<string> {
  let i = 0;
  let last: string | null = null;
  for await (const k of stream) {
    while (i < extra.length && compareKeys(extra[i]!, k) < 0) {
      if (extra[i] !== last) yield (last = extra[i]!);
      i++;
    }
    if (k !== last) yield (last = k);
  }
  for (; i < extra.length; i++) if (extra[i] !== last) yield (last = extra[i]!);
}

/**
 * Keys below `prefix` in byte order. A prefix that names a whole partition streams one sorted
 * set page by page; a shorter one (whole-store scans) gathers every matching partition and
 * sorts in memory.
 */
export async function* listIndexed(index: KeyIndex, prefix: string, opts: ListOptions): AsyncGenerator<string> {
  const own = partitionOf(prefix, index.depth);
  if (slashes(prefix) >= index.depth) {
    const extra = await settlePending(index, own, prefix, opts);
    yield* mergeSorted(index.committed(own, prefix), extra);
    return;
  }
  // Keys with fewer segments live in `own`; deeper ones in partitions that start with prefix.
  const parts = new Set([own, ...(await index.partitions(prefix))]);
  const all = new Set<string>();
  for (const p of parts) {
    for await (const k of index.committed(p, prefix)) all.add(k);
    for (const k of await settlePending(index, p, prefix, opts)) all.add(k);
  }
  yield* [...all].sort(compareKeys);
}
