/**
 * Recently read messages, with one byte budget for all the users a process has loaded (config
 * `storage.readCacheBytes`): a FETCH of several sections reads the same message many times.
 * Least recently used first out, across users; a user's entries go when the user unloads.
 *
 * Why one budget: the cache used to be 8 MiB per user store, so its total grew with the number
 * of loaded users (400 MiB of the bench's RSS at 50 users, docs/bench.md "Memory under load";
 * a backend with thousands of users loaded could not bound it at all).
 */
export class MessageReadCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly keysOf = new Map<string, Set<string>>();
  private used = 0;

  constructor(
    readonly maxBytes: number,
    /** Larger messages are never cached (they would push out everything else). */
    readonly itemMaxBytes = Math.min(2 * 1024 * 1024, Math.floor(maxBytes / 4)),
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.used;
  }

  /** A copy of the cached message (callers may write into what they get), or null. */
  get(user: string, guid: string): Buffer | null {
    const key = cacheKey(user, guid);
    const hit = this.entries.get(key);
    if (!hit) return null;
    // Objects are immutable, so a cached copy never goes stale; refresh its LRU position.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return Buffer.from(hit);
  }

  /** Keeps `raw` (not a copy); false when it is too large to keep. */
  put(user: string, guid: string, raw: Buffer): boolean {
    if (raw.length > this.itemMaxBytes) return false;
    const key = cacheKey(user, guid);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= old.length;
    }
    this.entries.set(key, raw);
    this.used += raw.length;
    let keys = this.keysOf.get(user);
    if (!keys) this.keysOf.set(user, (keys = new Set()));
    keys.add(key);
    for (const [k, v] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.remove(k, v);
    }
    return true;
  }

  /** Forget every entry of `user` (at unload). */
  dropUser(user: string): void {
    const keys = this.keysOf.get(user);
    if (!keys) return;
    for (const k of [...keys]) {
      const v = this.entries.get(k);
      if (v) this.remove(k, v);
    }
  }

  private remove(key: string, value: Buffer): void {
    this.entries.delete(key);
    this.used -= value.length;
    const user = key.slice(0, key.indexOf('\0'));
    const keys = this.keysOf.get(user);
    keys?.delete(key);
    if (keys?.size === 0) this.keysOf.delete(user);
  }
}

function cacheKey(user: string, guid: string): string {
  // User names never hold NUL (validateUser refuses control characters).
  return `${user}\0${guid}`;
}
