/**
 * The pieces the server is assembled from, as replaceable slots: tests swap one (a failing
 * store, a fake session) through startColumba's `modules` option.
 */
import type { Logger } from 'pino';
import { join } from 'node:path';
import type { Config } from './config/schema.ts';
import type { MailStoreProvider } from './storage/mail-store.ts';
import type { ObjectStore } from './storage/object-store.ts';
import type { SessionFactory } from '../protocols/net/types.ts';
import { createWorkerPool } from '../workers/pool.ts';
import { createFsStore } from './storage/drivers/fs.ts';
import { createMemoryStore } from './storage/drivers/memory.ts';
import { createS3Store } from './storage/drivers/s3.ts';
import { createFsCache } from './storage/drivers/fscache.ts';
import { createSproxydStore } from './storage/drivers/sproxyd.ts';
import { createRedisKeyIndex } from './storage/key-index-redis.ts';
import { createMailStore } from './storage/mail-store-impl.ts';
import { attachRequestCounts, createCountingStore } from './storage/counting-store.ts';
import { createImapSession } from '../protocols/imap/session.ts';
import { createPop3Session } from '../protocols/pop3/session.ts';
import { createLmtpSession } from '../protocols/lmtp/session.ts';

/** The lz4 codec the pool offers to the mail store. */
export interface CodecLike {
  compress(data: Buffer): Promise<Buffer>;
  decompress(data: Buffer, size: number): Promise<Buffer>;
}

export interface WorkerPoolLike {
  readonly threads: number;
  readonly codec: CodecLike;
  close(): Promise<void>;
}

export interface ServerModules {
  createWorkerPool: ((config: Config) => Promise<WorkerPoolLike>) | null;
  createObjectStore: ((config: Config) => ObjectStore) | null;
  createMailStore:
    | ((opts: { config: Config; objects: ObjectStore; log?: Logger; codec?: CodecLike }) => MailStoreProvider)
    | null;
  imapSession: SessionFactory | null;
  pop3Session: SessionFactory | null;
  lmtpSession: SessionFactory | null;
}

/**
 * The modules the server is assembled from. Imported statically: a piece that fails to load
 * fails the start, loudly, instead of leaving a role silently missing.
 */
export async function loadServerModules(_log?: Logger): Promise<ServerModules> {
  const createObjectStore = (config: Config): ObjectStore => {
    const st = config.storage;
    const driver =
      st.driver === 'memory'
        ? createMemoryStore()
        : st.driver === 's3'
          ? createS3Store(st.s3)
          : st.driver === 'sproxyd'
            ? createSproxydStore({
                ...st.sproxyd,
                index: createRedisKeyIndex({ url: st.sproxyd.listIndex, namespace: st.sproxyd.listIndexNamespace }),
              })
            : createFsStore(st.fsRoot ?? join(config.home, 'storage'), { putThreads: st.fsPutThreads ?? undefined });
    // Efficiency counters count what reaches the driver: under the cache, found through it.
    const base = createCountingStore(driver);
    if (!st.cache.enabled) return base;
    return attachRequestCounts(createFsCache(base, { dir: st.cache.dir ?? join(config.home, 'objcache'), maxBytes: st.cache.maxBytes }), base.counts);
  };
  return {
    createWorkerPool,
    createObjectStore,
    createMailStore,
    imapSession: createImapSession,
    pop3Session: createPop3Session,
    lmtpSession: createLmtpSession,
  };
}
