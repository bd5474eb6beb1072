/**
 * The sproxyd driver against the stand-in server (no real sproxyd is available here): wire
 * format, no-overwrite, retries, lost replies, failover, and the key index's crash cases.
 * The key index is in memory here; the Redis one runs in the conformance and mail-store suites.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSproxydStore, type SproxydStore } from '../../core/storage/drivers/sproxyd.ts';
import { decodeUsermd, keyFromDecodedPath, keyPath } from '../../core/storage/drivers/sproxyd-codec.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { createMemoryKeyIndex } from '../../core/storage/key-index-memory.ts';
import { freshName } from './sproxyd-factories.ts';
import { startSproxydServer, type SproxydHandle } from './sproxyd-server.ts';

interface Ctx {
  server: SproxydHandle;
}
const s = suite<Ctx>('sproxyd driver');

s.before(async (ctx) => {
  ctx.server = await startSproxydServer();
});
s.after(async (ctx) => {
  await ctx.server.stop();
});

type Over = Partial<Parameters<typeof createSproxydStore>[0]>;
type TestStore = SproxydStore & { index: ReturnType<typeof createMemoryKeyIndex>; basePath: string };
function store(ctx: Ctx, over: Over = {}): TestStore {
  const index = createMemoryKeyIndex();
  const basePath = `/proxy/${freshName('drv')}`;
  const st = createSproxydStore({
    endpoints: [ctx.server.endpoint],
    path: basePath,
    maxInFlight: 4,
    retries: 3,
    requestTimeoutMs: 10_000,
    index,
    ...over,
  });
  return Object.assign(st, { index, basePath });
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

/** A port nobody listens on: connections are refused. */
async function deadEndpoint(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 1}`;
}

s('key paths: dot and empty segments escaped, reversible, distinct', () => {
  assert.is(keyPath('/proxy/bparc', 'ab/dora/m/123'), '/proxy/bparc/ab/dora/m/123');
  assert.is(keyPath('/proxy/bparc/', 'b/..'), '/proxy/bparc/b/~..');
  assert.is(keyPath('/p', 'a//b/'), '/p/a/~/b/~');
  assert.is(keyPath('/p', '~x/sp ace+%25/ü'), '/p/~~x/sp%20ace%2B%2525/%C3%BC');
  const keys = ['b/..', 'b/~..', 'b/~~..', 'b/.', 'b/', 'b//', 'b/~', '/b', '~', '.'];
  const paths = keys.map((k) => keyPath('/p', k));
  assert.is(new Set(paths).size, keys.length);
  for (const [i, k] of keys.entries()) {
    const decoded = paths[i]!.slice(3).split('/').map(decodeURIComponent).join('/');
    assert.is(keyFromDecodedPath(decoded), k);
  }
});

s('metadata round-trips (non-ASCII, spaces, base64-looking values) in X-Scal-Usermd', async (ctx) => {
  const st = store(ctx);
  const meta = { subject: 'Grüße aus Köln ✉', spaces: '  padded  ', b64: '=?UTF-8?B?eA==?=', empty: '' };
  await st.put('ab/u/m/1', Buffer.from('body'), meta);
  assert.equal((await st.get('ab/u/m/1')).meta, meta);
  assert.equal(await st.head('ab/u/m/1'), { key: 'ab/u/m/1', size: 4, meta });
  try {
    await st.put('ab/u/m/2', Buffer.from('x'), { Upper: 'no' });
    assert.unreachable('upper-case metadata name accepted');
  } catch (err) {
    assert.ok(isStorageError(err, 'INVALID'));
  }
  await st.close();
});

s('usermd on the wire is base64 JSON with size and nonce', async (ctx) => {
  const name = freshName('wire');
  const st = createSproxydStore({ endpoints: [ctx.server.endpoint], path: `/proxy/${name}`, maxInFlight: 2, retries: 0, requestTimeoutMs: 5000, index: createMemoryKeyIndex() });
  await st.put('k/1', Buffer.from('hello'), { a: 'ä' });
  const res = await fetch(`${ctx.server.endpoint}/proxy/${name}/k/1`, { method: 'HEAD' });
  const u = decodeUsermd(res.headers.get('x-scal-usermd') ?? undefined);
  assert.equal(u?.meta, { a: 'ä' });
  assert.is(u?.size, 5);
  assert.ok((u?.nonce.length ?? 0) > 0);
  await st.close();
});

s('put never overwrites: EXISTS with and without the HEAD first', async (ctx) => {
  for (const headBeforePut of [true, false]) {
    const st = store(ctx, { headBeforePut });
    await st.put('k/1', Buffer.from('first'));
    const before = { ...st.requests };
    try {
      await st.put('k/1', Buffer.from('second'));
      assert.unreachable('overwrote');
    } catch (err) {
      assert.ok(isStorageError(err, 'EXISTS'), String(err));
    }
    // Without the HEAD, the stand-in's 412 on If-None-Match is what refuses it.
    assert.is(st.requests.put - before.put, headBeforePut ? 0 : 1);
    assert.is((await st.get('k/1')).data.toString(), 'first');
    assert.equal(await collect(st.list('k/')), ['k/1']);
    await st.close();
  }
});

s('503s are retried (put, get, head, delete); too many become TEMPORARY', async (ctx) => {
  const st = store(ctx, { headBeforePut: false });
  await ctx.server.fault({ count: 2, status: 503, methods: ['PUT'] });
  await st.put('r/1', Buffer.from('x'));
  assert.is(st.requests.put, 3);
  await ctx.server.fault({ count: 2, status: 503, methods: ['GET'] });
  assert.is((await st.get('r/1')).data.toString(), 'x');
  assert.is(st.requests.get, 3);
  await ctx.server.fault({ count: 1, status: 500, methods: ['HEAD'] });
  assert.ok(await st.head('r/1'));
  await ctx.server.fault({ count: 2, status: 423, methods: ['DELETE'] });
  await st.delete('r/1');
  assert.is(st.requests.delete, 3);
  assert.is(await st.head('r/1'), null);

  await ctx.server.fault({ count: 4, status: 503, methods: ['GET'] });
  try {
    await st.put('r/2', Buffer.from('y'));
    await st.get('r/2');
    assert.unreachable('4 failures with 3 retries succeeded');
  } catch (err) {
    assert.ok(isStorageError(err, 'TEMPORARY'), String(err));
  }
  await st.close();
});

s('a truncated GET body is retried', async (ctx) => {
  const st = store(ctx);
  const big = Buffer.alloc(100_000, 7);
  await st.put('t/1', big);
  await ctx.server.fault({ count: 1, truncate: true, methods: ['GET'] });
  assert.ok((await st.get('t/1')).data.equals(big));
  assert.is(st.requests.get, 2);
  await st.close();
});

s('a request that times out is retried (slow connector)', async (ctx) => {
  const st = store(ctx, { requestTimeoutMs: 300 });
  await st.put('slow/1', Buffer.from('x'));
  await ctx.server.fault({ count: 1, delayMs: 3000, methods: ['GET'] });
  assert.is((await st.get('slow/1')).data.toString(), 'x');
  assert.is(st.requests.get, 2);
  await st.close();
});

s('a PUT whose reply was lost finds its own object on the retry (not EXISTS)', async (ctx) => {
  const st = store(ctx, { headBeforePut: false });
  await ctx.server.fault({ count: 1, status: 503, afterWrite: true, methods: ['PUT'] });
  await st.put('l/1', Buffer.from('mine'));
  assert.is(st.requests.put, 2);
  assert.is((await st.get('l/1')).data.toString(), 'mine');
  // Someone else's object under the key still gives EXISTS.
  try {
    await st.put('l/1', Buffer.from('again'));
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'EXISTS'));
  }
  await st.close();
});

s('endpoint failover: a refusing endpoint is skipped; a stopped connector is survived', async (ctx) => {
  const dead = await deadEndpoint();
  const st = store(ctx, { endpoints: [dead, ctx.server.endpoint], retries: 0 });
  for (let i = 0; i < 4; i++) await st.put(`f/${i}`, Buffer.from(String(i)));
  assert.equal(await collect(st.list('f/')), ['f/0', 'f/1', 'f/2', 'f/3']);
  assert.equal(st.endpoints.map((e) => e.down), [true, false]);
  await st.close();

  // Two connectors on one RING (one folder); one stops mid-way.
  const dir = mkdtempSync(join(tmpdir(), 'columba-sproxyd-ring-'));
  const a = await startSproxydServer({ dir });
  const b = await startSproxydServer({ dir });
  try {
    const st2 = store(ctx, { endpoints: [a.endpoint, b.endpoint], retries: 0 });
    await st2.put('g/1', Buffer.from('one'));
    await st2.put('g/2', Buffer.from('two'));
    const total = (st: Record<string, number>): number => Object.values(st).reduce((x, y) => x + y, 0);
    const seen = [total(await a.stats()), total(await b.stats())];
    assert.equal(seen, [2, 2], 'round-robin over both connectors');
    await a.stop();
    for (let i = 0; i < 4; i++) assert.is((await st2.get('g/1')).data.toString(), 'one');
    await st2.put('g/3', Buffer.from('three'));
    assert.equal(await collect(st2.list('g/')), ['g/1', 'g/2', 'g/3']);
    await st2.close();
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

s('no endpoint reachable: UNAVAILABLE', async (ctx) => {
  const st = store(ctx, { endpoints: [await deadEndpoint()], retries: 1 });
  try {
    await st.get('x/1');
    assert.unreachable();
  } catch (err) {
    assert.ok(isStorageError(err, 'UNAVAILABLE'), String(err));
  }
  await st.close();
});

s('crash leftovers in the index: listings show exactly the objects that exist', async (ctx) => {
  const st = store(ctx, { pendingGraceMs: -1 });
  const index = st.index;
  await st.put('c/u/m/b', Buffer.from('b'));
  // Crash after marking, before the PUT: no object, not listed, dropped after the grace period.
  await index.beginPut('c/u/m/a');
  // Crash after the PUT, before the commit: the object exists, so it is listed (and promoted).
  await index.beginPut('c/u/m/c');
  const res = await fetch(`${ctx.server.endpoint}${keyPath(st.basePath, 'c/u/m/c')}`, { method: 'PUT', body: 'c' });
  assert.is(res.status, 200);
  // Crash in a delete after the DELETE: not listed.
  await st.put('c/u/m/d', Buffer.from('d'));
  await index.beginDelete('c/u/m/d');
  await fetch(`${ctx.server.endpoint}${keyPath(st.basePath, 'c/u/m/d')}`, { method: 'DELETE' });

  assert.equal(await collect(st.list('c/u/m/')), ['c/u/m/b', 'c/u/m/c']);
  assert.equal(await collect(st.list('c/')), ['c/u/m/b', 'c/u/m/c']);
  assert.is(index.pendingCount, 0);
  await st.close();
});

s.run();
