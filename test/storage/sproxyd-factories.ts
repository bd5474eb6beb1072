/**
 * sproxyd stores for the shared suites (object-store conformance, mail store): the stand-in
 * server (sproxyd-server.ts) plus a key index in memory or in a private redis-server. Redis
 * variants are left out, with the reason printed, only when redis-server is not installed.
 */
import { rmSync } from 'node:fs';
import { createFsCache } from '../../core/storage/drivers/fscache.ts';
import { createSproxydStore, type SproxydStore } from '../../core/storage/drivers/sproxyd.ts';
import type { KeyIndex } from '../../core/storage/key-index.ts';
import { createMemoryKeyIndex } from '../../core/storage/key-index-memory.ts';
import { createRedisKeyIndex } from '../../core/storage/key-index-redis.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { redisUnavailable, startRedis, type RedisHandle } from '../helpers/redis-process.ts';
import { tempHome } from './helpers.ts';
import { startSproxydServer, type SproxydHandle } from './sproxyd-server.ts';

interface Instance {
  store: ObjectStore;
  cleanup: () => void | Promise<void>;
}
interface DriverFactory {
  name: string;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  make: () => Instance | Promise<Instance>;
}

let counter = 0;
/** A unique by-path driver name (the stand-in's namespace) and Redis namespace per store. */
export const freshName = (tag: string): string => `${tag}${process.pid}x${++counter}`;

export function sproxydStoreOn(server: SproxydHandle, index: KeyIndex, name: string, over: { retries?: number } = {}): SproxydStore {
  return createSproxydStore({
    endpoints: [server.endpoint],
    path: `/proxy/${name}`,
    maxInFlight: 16,
    retries: over.retries ?? 3,
    requestTimeoutMs: 10_000,
    index,
  });
}

type IndexKind = 'memory' | 'redis';

function factory(name: string, kind: IndexKind, cached: boolean): DriverFactory {
  let server: SproxydHandle | null = null;
  let redis: RedisHandle | null = null;
  return {
    name,
    setup: async () => {
      server = await startSproxydServer();
      if (kind === 'redis') redis = await startRedis();
    },
    teardown: async () => {
      await server?.stop();
      await redis?.stop();
      server = redis = null;
    },
    make: () => {
      const ns = freshName('conf');
      // Small pages so "many keys" crosses ZRANGEBYLEX page boundaries.
      const index = kind === 'redis' ? createRedisKeyIndex({ url: redis!.url, namespace: ns, pageSize: 100 }) : createMemoryKeyIndex();
      const store = sproxydStoreOn(server!, index, ns);
      if (!cached) return { store, cleanup: () => store.close() };
      const dir = tempHome();
      const wrapped = createFsCache(store, { dir, maxBytes: 64 * 1024 });
      return {
        store: wrapped,
        cleanup: async () => {
          await wrapped.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** The sproxyd entries of the conformance suite's driver list. */
export function sproxydConformanceFactories(): DriverFactory[] {
  const out = [factory('sproxyd (stand-in, memory index)', 'memory', false)];
  const why = redisUnavailable();
  if (why) {
    console.log(`skipping sproxyd with the Redis key index: ${why}`);
    return out;
  }
  out.push(factory('sproxyd (stand-in, redis index)', 'redis', false), factory('fscache(sproxyd, redis index)', 'redis', true));
  return out;
}
