/**
 * The key index behind sproxyd listings, the same cases on the memory and the Redis index:
 * partitions, short-prefix scans, paging, byte order, and the pending-entry protocol (a lister
 * never resurrects a key a concurrent delete removed). The Redis part is skipped, saying why,
 * only when redis-server is not installed.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { isStorageError } from '../../core/storage/errors.ts';
import { listIndexed, partitionOf, type KeyIndex } from '../../core/storage/key-index.ts';
import { createMemoryKeyIndex } from '../../core/storage/key-index-memory.ts';
import { createRedisKeyIndex } from '../../core/storage/key-index-redis.ts';
import { redisUnavailable, startRedis, type RedisHandle } from '../helpers/redis-process.ts';
import { freshName } from './sproxyd-factories.ts';

const unit = suite('key index: partitions');
unit('partitionOf takes up to `depth` whole segments', () => {
  assert.is(partitionOf('ab/dora/m/123', 2), 'ab/dora/');
  assert.is(partitionOf('ab/dora/', 2), 'ab/dora/');
  assert.is(partitionOf('ab/do', 2), 'ab/');
  assert.is(partitionOf('u0', 2), '');
  assert.is(partitionOf('', 2), '');
  assert.is(partitionOf('a/b/c', 1), 'a/');
});
unit('Redis unreachable: index calls fail with UNAVAILABLE (writes refuse, nothing unlisted)', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  const port = typeof addr === 'object' && addr ? addr.port : 1;
  const index = createRedisKeyIndex({ url: `redis://127.0.0.1:${port}/0`, namespace: 'down' });
  try {
    await index.beginPut('a/b/c');
    assert.unreachable('beginPut succeeded without Redis');
  } catch (err) {
    assert.ok(isStorageError(err, 'UNAVAILABLE'), String(err));
  } finally {
    await index.close();
  }
});
unit.run();

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

interface Ctx {
  index: KeyIndex;
  /** Keys whose "object" exists, as a HEAD would see it. */
  objects: Set<string>;
}

let redis: RedisHandle | null = null;
const kinds: { name: string; make: () => KeyIndex; setup?: () => Promise<void>; teardown?: () => Promise<void> }[] = [
  { name: 'memory', make: () => createMemoryKeyIndex() },
];
const why = redisUnavailable();
if (why) console.log(`skipping the Redis key index: ${why}`);
else
  kinds.push({
    name: 'redis',
    setup: async () => {
      redis = await startRedis();
    },
    teardown: async () => {
      await redis?.stop();
      redis = null;
    },
    // Pages of 3 so every listing below crosses page boundaries.
    make: () => createRedisKeyIndex({ url: redis!.url, namespace: freshName('ki'), pageSize: 3 }),
  });

for (const kind of kinds) {
  const s = suite<Ctx>(`key index: ${kind.name}`);
  if (kind.setup) s.before(kind.setup);
  if (kind.teardown) s.after(kind.teardown);
  s.before.each((ctx) => {
    ctx.index = kind.make();
    ctx.objects = new Set();
  });
  s.after.each((ctx) => ctx.index.close());

  const list = (ctx: Ctx, prefix: string, graceMs = 60_000): Promise<string[]> =>
    collect(listIndexed(ctx.index, prefix, { exists: async (k) => ctx.objects.has(k), pendingGraceMs: graceMs }));
  const put = async (ctx: Ctx, key: string): Promise<void> => {
    await ctx.index.beginPut(key);
    ctx.objects.add(key);
    await ctx.index.commitPut(key);
  };

  s('lists in byte order across partitions, pages and short prefixes', async (ctx) => {
    const keys = ['ab/dora/m/1', 'ab/dora/m/2', 'ab/dora/m/10', 'ab/dora/i/x', 'ab/dorb/m/1', 'ab/x', 'u0', 'ab/dora/m/ü', 'ab/dora/m/z'];
    for (const k of keys) await put(ctx, k);
    assert.equal(await list(ctx, 'ab/dora/m/'), ['ab/dora/m/1', 'ab/dora/m/10', 'ab/dora/m/2', 'ab/dora/m/z', 'ab/dora/m/ü']);
    assert.equal(await list(ctx, 'ab/dora/'), ['ab/dora/i/x', 'ab/dora/m/1', 'ab/dora/m/10', 'ab/dora/m/2', 'ab/dora/m/z', 'ab/dora/m/ü']);
    assert.equal(await list(ctx, 'ab/dor'), ['ab/dora/i/x', 'ab/dora/m/1', 'ab/dora/m/10', 'ab/dora/m/2', 'ab/dora/m/z', 'ab/dora/m/ü', 'ab/dorb/m/1']);
    assert.equal(await list(ctx, ''), [...keys].sort());
    assert.equal(await list(ctx, 'zz/'), []);
  });

  s('pending entries: absent ones hidden (and dropped after the grace), present ones promoted', async (ctx) => {
    await put(ctx, 'p/u/a');
    await ctx.index.beginPut('p/u/b'); // put in flight or crashed before the PUT
    await ctx.index.beginPut('p/u/c');
    ctx.objects.add('p/u/c'); // crashed after the PUT
    assert.equal(await list(ctx, 'p/u/'), ['p/u/a', 'p/u/c']);
    assert.equal((await ctx.index.pending('p/u/', 'p/u/')).map((e) => e.key), ['p/u/b']);
    assert.equal(await collect(ctx.index.committed('p/u/', 'p/u/')), ['p/u/a', 'p/u/c']);
    assert.equal(await list(ctx, 'p/u/', -1), ['p/u/a', 'p/u/c']);
    assert.equal(await ctx.index.pending('p/u/', ''), []);
  });

  s('a lister does not resurrect a key a concurrent delete removed', async (ctx) => {
    await put(ctx, 'd/u/k');
    await ctx.index.beginDelete('d/u/k');
    const seen = await ctx.index.pending('d/u/', 'd/u/'); // lister reads the entry, HEAD says present...
    ctx.objects.delete('d/u/k'); // ...then the DELETE lands and the deleter finishes
    await ctx.index.finishDelete('d/u/k');
    await ctx.index.promote(seen[0]!); // the lister's late promotion must be a no-op
    assert.equal(await list(ctx, 'd/'), []);

    // A stale stamp neither promotes nor drops a newer mark.
    await ctx.index.beginPut('d/u/n');
    const old = (await ctx.index.pending('d/u/', ''))[0]!;
    await ctx.index.beginPut('d/u/n');
    await ctx.index.drop(old);
    await ctx.index.promote(old);
    assert.is((await ctx.index.pending('d/u/', '')).length, 1);
    assert.equal(await collect(ctx.index.committed('d/u/', '')), []);
  });

  s.run();
}
