/**
 * A local disk cache in front of any ObjectStore. Objects are immutable, so a cached copy stays
 * valid until deleted; `get` serves from disk when it can, `put` writes through (the inner store
 * first: durability is its job) and keeps a copy, `delete` drops both. Each file carries the
 * key, metadata, size and SHA-256, so a torn or bit-rotted copy is noticed, dropped and fetched
 * again. LRU eviction keeps the folder under `maxBytes`; the order survives restarts through
 * file mtimes (touched on every hit). Caveat: a delete done by *another* node is not seen here
 * until eviction; Columba never rewrites a key with different content, so that is harmless.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../object-store.ts';

export interface FsCacheOptions {
  dir: string;
  maxBytes: number;
}

const MAGIC = Buffer.from('CFC1');

interface CachedHeader {
  key: string;
  meta: Record<string, string>;
  size: number;
  sha256: string;
}

export function createFsCache(inner: ObjectStore, opts: FsCacheOptions): ObjectStore & { readonly cachedBytes: number } {
  mkdirSync(opts.dir, { recursive: true });
  /** file name -> file size, least recently used first (Map keeps insertion order). */
  const lru = new Map<string, number>();
  let total = 0;
  /** Misses being fetched from the inner store, per file name (see delete). */
  const fetching = new Map<string, Set<{ stale: boolean }>>();

  function rebuild(): void {
    const found: { name: string; size: number; mtime: number }[] = [];
    for (const name of readdirSync(opts.dir)) {
      const path = join(opts.dir, name);
      if (name.startsWith('.tmp-')) {
        // A write interrupted by a crash.
        unlinkSync(path);
        continue;
      }
      const st = statSync(path, { throwIfNoEntry: false });
      if (st?.isFile()) found.push({ name, size: st.size, mtime: st.mtimeMs });
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const f of found) remember(f.name, f.size);
    void evict(true);
  }

  const fileName = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
  const pathOf = (name: string): string => join(opts.dir, name);

  function remember(name: string, size: number): void {
    const old = lru.get(name);
    if (old !== undefined) {
      total -= old;
      lru.delete(name);
    }
    lru.set(name, size);
    total += size;
  }
  function forget(name: string): void {
    const old = lru.get(name);
    if (old === undefined) return;
    total -= old;
    lru.delete(name);
  }
  /** Drops least recently used files until under maxBytes; startup does it synchronously. */
  function evict(sync = false): Promise<void> {
    const gone: Promise<void>[] = [];
    for (const [name] of lru) {
      if (total <= opts.maxBytes) break;
      forget(name);
      if (sync) unlinkSync(pathOf(name));
      else gone.push(unlink(pathOf(name)).catch(() => {}));
    }
    return Promise.all(gone).then(() => {});
  }

  rebuild();

  async function store(key: string, data: Buffer, meta: Record<string, string>): Promise<void> {
    const header: CachedHeader = { key, meta, size: data.length, sha256: sha256(data) };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    const file = Buffer.concat([MAGIC, len, json, data]);
    if (file.length > opts.maxBytes) return;
    const name = fileName(key);
    const tmp = pathOf(`.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await writeFile(tmp, file);
      await rename(tmp, pathOf(name));
      remember(name, file.length);
      await evict();
    } catch {
      // The cache is an optimisation: a failed write only costs a later refetch.
      await unlink(tmp).catch(() => {});
    }
  }

  async function load(key: string): Promise<{ data: Buffer; meta: Record<string, string> } | null> {
    const name = fileName(key);
    if (!lru.has(name)) return null;
    let file: Buffer;
    try {
      file = await readFile(pathOf(name));
    } catch {
      forget(name);
      return null;
    }
    const parsed = parse(file);
    if (!parsed || parsed.header.key !== key) {
      forget(name);
      await unlink(pathOf(name)).catch(() => {});
      return null;
    }
    remember(name, file.length);
    const now = new Date();
    utimes(pathOf(name), now, now).catch(() => {});
    return { data: parsed.data, meta: { ...parsed.header.meta } };
  }

  return {
    driver: `fscache(${inner.driver})`,
    get cachedBytes() {
      return total;
    },
    async put(key, data, meta = {}) {
      await inner.put(key, data, meta);
      await store(key, Buffer.from(data), { ...meta });
    },
    async get(key) {
      const hit = await load(key);
      if (hit) return hit;
      // A delete while this fetch is in flight must not leave a copy behind.
      const name = fileName(key);
      const token = { stale: false };
      const tokens = fetching.get(name) ?? new Set();
      fetching.set(name, tokens.add(token));
      try {
        const got = await inner.get(key);
        if (!token.stale) await store(key, got.data, got.meta);
        return got;
      } finally {
        tokens.delete(token);
        if (tokens.size === 0) fetching.delete(name);
      }
    },
    head: (key) => inner.head(key),
    async delete(key) {
      const name = fileName(key);
      for (const t of fetching.get(name) ?? []) t.stale = true;
      forget(name);
      await unlink(pathOf(name)).catch(() => {});
      await inner.delete(key);
    },
    list: (prefix) => inner.list(prefix),
    close: () => inner.close(),
  };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Header + data of a cache file, or null when it is torn, truncated or corrupted. */
function parse(file: Buffer): { header: CachedHeader; data: Buffer } | null {
  if (file.length < 8 || !file.subarray(0, 4).equals(MAGIC)) return null;
  const len = file.readUInt32BE(4);
  if (8 + len > file.length) return null;
  let header: CachedHeader;
  try {
    header = JSON.parse(file.subarray(8, 8 + len).toString('utf8')) as CachedHeader;
  } catch {
    return null;
  }
  const data = file.subarray(8 + len);
  if (typeof header?.key !== 'string' || header.size !== data.length || header.sha256 !== sha256(data)) return null;
  return { header, data };
}
