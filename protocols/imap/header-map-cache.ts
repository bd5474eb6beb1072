/**
 * Parsed index header caches (MailboxView.cachedHeaders) by message GUID, so a SEARCH FROM /
 * SUBJECT over a mailbox does not re-parse every message's cached block on every search (it
 * was about a third of header-key search time). Cached blocks derive from the message bytes,
 * which never change under a GUID: entries are only ever evicted. Bounded by estimated bytes.
 */
type HeaderMap = Map<string, string[]>;

/** JS strings take about two bytes a character; plus Map/array overhead per field. */
function weight(guid: string, map: HeaderMap): number {
  let w = 64 + guid.length * 2;
  for (const [k, vs] of map) {
    w += 48 + k.length * 2;
    for (const v of vs) w += 16 + v.length * 2;
  }
  return w;
}

export class HeaderMapCache {
  private readonly entries = new Map<string, { map: HeaderMap; w: number }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The parsed map for `guid`, from the cache or from `load` (a null answer is not kept). */
  get(guid: string, load: () => HeaderMap | null): HeaderMap | null {
    const e = this.entries.get(guid);
    if (e) {
      this.entries.delete(guid);
      this.entries.set(guid, e);
      return e.map;
    }
    const map = load();
    if (map === null) return null;
    const w = weight(guid, map);
    if (w > this.maxBytes / 16) return map;
    this.entries.set(guid, { map, w });
    this.bytes += w;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= old.w;
    }
    return map;
  }
}

/** 16 MiB: the header fields of roughly 20k messages. */
export const headerMapCache = new HeaderMapCache(16 * 1024 * 1024);
