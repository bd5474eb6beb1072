/**
 * Rendered ENVELOPE and BODYSTRUCTURE / BODY items by message GUID. A message's bytes never
 * change once stored and a GUID names one stored message, so an entry never goes stale: it
 * is only evicted. Without it every FETCH BODYSTRUCTURE read the message and parsed its whole
 * MIME tree; ENVELOPE is rendered from the index's header cache when that holds its fields
 * (core/index/header-cache.ts), and kept here rendered. Process-wide and bounded by bytes;
 * sessions of different users share it without risk since a session can only name GUIDs of its
 * own mailboxes.
 */
import type { Chunk } from './types.ts';

export type CachedItem = 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE';

/** Rough per-entry overhead (key, Map slot, array) on top of the chunk bytes. */
const ENTRY_OVERHEAD = 96;

export class FetchItemCache {
  private readonly entries = new Map<string, { chunks: readonly Chunk[]; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(guid: string, item: CachedItem): readonly Chunk[] | undefined {
    const key = item + ':' + guid;
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.chunks;
  }

  set(guid: string, item: CachedItem, chunks: readonly Chunk[]): void {
    let bytes = ENTRY_OVERHEAD + guid.length;
    for (const c of chunks) bytes += c.length;
    if (bytes > this.maxBytes / 16) return; // one huge structure must not flush the rest
    const key = item + ':' + guid;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { chunks, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** The cache FETCH uses: 8 MiB holds the structures of roughly 20k typical messages. */
export const fetchItemCache = new FetchItemCache(8 * 1024 * 1024);
