/** fscache: disk hits, corrupt copies dropped and refetched, LRU eviction, restart rebuild. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFsCache } from '../../core/storage/drivers/fscache.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createFailingStore, type ObjectOp } from '../../core/storage/drivers/failing.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { tempHome } from './helpers.ts';

/** A memory store that counts gets, so tests can tell cache hits from misses. */
function countingStore(): { store: ObjectStore; gets: () => number } {
  let gets = 0;
  const failing = createFailingStore(createMemoryStore(), (op: ObjectOp) => {
    if (op === 'get') gets++;
    return null;
  });
  return { store: failing, gets: () => gets };
}

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((n) => !n.startsWith('.'));

test('get after put is served from disk, with metadata', async () => {
  const dir = tempHome();
  const inner = countingStore();
  const cache = createFsCache(inner.store, { dir, maxBytes: 1 << 20 });
  await cache.put('a/1', Buffer.from('hello'), { guid: 'g1' });
  const got = await cache.get('a/1');
  assert.is(got.data.toString(), 'hello');
  assert.equal(got.meta, { guid: 'g1' });
  assert.is(inner.gets(), 0);
  assert.is(cacheFiles(dir).length, 1);
  rmSync(dir, { recursive: true, force: true });
});

test('a miss fetches from the inner store once, then hits', async () => {
  const dir = tempHome();
  const inner = countingStore();
  await inner.store.put('a/2', Buffer.from('remote'), { k: 'v' });
  const cache = createFsCache(inner.store, { dir, maxBytes: 1 << 20 });
  assert.is((await cache.get('a/2')).data.toString(), 'remote');
  assert.is((await cache.get('a/2')).data.toString(), 'remote');
  assert.is(inner.gets(), 1);
  rmSync(dir, { recursive: true, force: true });
});

test('a corrupted or truncated cached copy is dropped and refetched', async () => {
  const dir = tempHome();
  const inner = countingStore();
  const cache = createFsCache(inner.store, { dir, maxBytes: 1 << 20 });
  await cache.put('c/1', Buffer.from('precious bytes'), { m: '1' });
  const [name] = cacheFiles(dir);
  const path = join(dir, name!);
  const file = readFileSync(path);
  file[file.length - 1] ^= 0xff; // flip a data bit: same length, bad checksum
  writeFileSync(path, file);
  assert.is((await cache.get('c/1')).data.toString(), 'precious bytes');
  assert.is(inner.gets(), 1);
  writeFileSync(path, file.subarray(0, 10)); // torn
  // The refetch above rewrote a good copy; tearing it again forces a second refetch.
  assert.is((await cache.get('c/1')).data.toString(), 'precious bytes');
  assert.is(inner.gets(), 2);
  assert.is((await cache.get('c/1')).data.toString(), 'precious bytes');
  assert.is(inner.gets(), 2);
  rmSync(dir, { recursive: true, force: true });
});

test('LRU eviction keeps the folder under maxBytes and drops the least recently used', async () => {
  const dir = tempHome();
  const inner = countingStore();
  const cache = createFsCache(inner.store, { dir, maxBytes: 3500 });
  const body = Buffer.alloc(1000, 0x61);
  await cache.put('l/1', body);
  await cache.put('l/2', body);
  await cache.put('l/3', body);
  await cache.get('l/1'); // l/2 is now the least recently used
  await cache.put('l/4', body);
  assert.ok(cache.cachedBytes <= 3500);
  const size = cacheFiles(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  assert.is(size, cache.cachedBytes);
  const before = inner.gets();
  await cache.get('l/1');
  await cache.get('l/4');
  assert.is(inner.gets(), before);
  await cache.get('l/2');
  assert.is(inner.gets(), before + 1);
  rmSync(dir, { recursive: true, force: true });
});

test('objects larger than the whole cache are not cached', async () => {
  const dir = tempHome();
  const cache = createFsCache(createMemoryStore(), { dir, maxBytes: 100 });
  await cache.put('big', Buffer.alloc(500));
  assert.is((await cache.get('big')).data.length, 500);
  assert.equal(cacheFiles(dir), []);
  rmSync(dir, { recursive: true, force: true });
});

test('restart: the LRU is rebuilt from the folder (mtime order), temp files are removed', async () => {
  const dir = tempHome();
  const inner = countingStore();
  const first = createFsCache(inner.store, { dir, maxBytes: 1 << 20 });
  const body = Buffer.alloc(1000, 0x62);
  for (const k of ['r/old', 'r/mid', 'r/new']) await first.put(k, body);
  const files = cacheFiles(dir);
  // Pin the mtimes so the order does not depend on timer resolution.
  const byKey = new Map<string, string>();
  for (const f of files) {
    const buf = readFileSync(join(dir, f));
    const key = (JSON.parse(buf.subarray(8, 8 + buf.readUInt32BE(4)).toString()) as { key: string }).key;
    byKey.set(key, f);
  }
  utimesSync(join(dir, byKey.get('r/old')!), 1000, 1000);
  utimesSync(join(dir, byKey.get('r/mid')!), 2000, 2000);
  utimesSync(join(dir, byKey.get('r/new')!), 3000, 3000);
  writeFileSync(join(dir, '.tmp-leftover'), 'x');
  const total = first.cachedBytes;

  // Room for two: rebuilding must evict the oldest one.
  const second = createFsCache(inner.store, { dir, maxBytes: total - 1 });
  assert.ok(!readdirSync(dir).includes('.tmp-leftover'));
  assert.is(cacheFiles(dir).length, 2);
  const before = inner.gets();
  await second.get('r/mid');
  await second.get('r/new');
  assert.is(inner.gets(), before);
  await second.get('r/old');
  assert.is(inner.gets(), before + 1);
  rmSync(dir, { recursive: true, force: true });
});

test('delete drops the cached copy too', async () => {
  const dir = tempHome();
  const cache = createFsCache(createMemoryStore(), { dir, maxBytes: 1 << 20 });
  await cache.put('d/1', Buffer.from('x'));
  await cache.delete('d/1');
  assert.equal(cacheFiles(dir), []);
  await cache.get('d/1').then(() => assert.unreachable(), () => {});
  rmSync(dir, { recursive: true, force: true });
});

test('a delete during a miss fetch leaves no cached copy', async () => {
  const dir = tempHome();
  const mem = createMemoryStore();
  await mem.put('r/1', Buffer.from('x'));
  let releaseGet!: () => void;
  const gate = new Promise<void>((r) => (releaseGet = r));
  const slow: ObjectStore = {
    ...mem,
    driver: 'slow',
    async get(k) {
      const got = await mem.get(k); // read before the delete, answered after it
      await gate;
      return got;
    },
  };
  const cache = createFsCache(slow, { dir, maxBytes: 1 << 20 });
  const pending = cache.get('r/1');
  await new Promise((r) => setImmediate(r));
  await cache.delete('r/1');
  releaseGet();
  await pending.catch(() => {});
  assert.equal(cacheFiles(dir), []);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
