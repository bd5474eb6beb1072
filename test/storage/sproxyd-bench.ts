/**
 * A short measurement of the sproxyd driver on the stand-in (not a test; the stand-in, not the
 * driver, bounds the figures): N puts, gets and one listing, with the memory and the Redis key
 * index. `node --import tsx test/storage/sproxyd-bench.ts [N] [SIZE]`
 */
import { createMemoryKeyIndex } from '../../core/storage/key-index-memory.ts';
import { createRedisKeyIndex } from '../../core/storage/key-index-redis.ts';
import type { KeyIndex } from '../../core/storage/key-index.ts';
import { startRedis } from '../helpers/redis-process.ts';
import { freshName, sproxydStoreOn } from './sproxyd-factories.ts';
import { startSproxydServer } from './sproxyd-server.ts';

const n = Number(process.argv[2] ?? 1000);
const size = Number(process.argv[3] ?? 10_000);
const server = await startSproxydServer();
const redis = await startRedis();
const body = Buffer.alloc(size, 'x');

async function phase(label: string, count: number, op: (i: number) => Promise<unknown>, conc = 16): Promise<void> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < count) await op(next++);
  }));
  const ms = performance.now() - t0;
  console.log(`  ${label}: ${count} in ${ms.toFixed(0)} ms = ${((count * 1000) / ms).toFixed(0)}/s`);
}

try {
  const indexes: [string, () => KeyIndex][] = [['memory index', () => createMemoryKeyIndex()]];
  if (redis) indexes.push(['redis index', () => createRedisKeyIndex({ url: redis.url, namespace: freshName('bench') })]);
  for (const [name, make] of indexes) {
    const ns = freshName('bench');
    const store = sproxydStoreOn(server, make(), ns);
    console.log(`${name}, ${n} objects of ${size} bytes, 16 in flight:`);
    await phase('put', n, (i) => store.put(`ab/user/m/${String(i).padStart(6, '0')}`, body));
    await phase('get', n, (i) => store.get(`ab/user/m/${String(i).padStart(6, '0')}`));
    await phase('list', 1, async () => {
      let c = 0;
      for await (const _ of store.list('ab/user/m/')) c++;
      if (c !== n) throw new Error(`listed ${c}`);
    }, 1);
    console.log(`  HTTP requests: ${JSON.stringify(store.requests)}`);
    await store.close();
  }
} finally {
  await server.stop();
  await redis?.stop();
}
