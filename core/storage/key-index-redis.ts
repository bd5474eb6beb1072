/**
 * KeyIndex in Redis (see key-index.ts for the protocol). Per partition P (one user by default):
 *   `<ns>:c:<P>`  sorted set, every score 0, so ZRANGEBYLEX lists in byte order;
 *   `<ns>:p:<P>`  sorted set of pending keys scored by their stamp;
 *   `<ns>:parts`  sorted set (score 0) of partition names, for scans shorter than a partition.
 * Two-step updates run in MULTI; promote/drop are Lua scripts that act only if the pending
 * stamp is unchanged, so a lister never resurrects a key a concurrent delete just removed.
 * Durability is Redis's: run it with appendonly yes (appendfsync everysec or always) in
 * production, since a lost index hides objects from listings (recovery, index heads).
 */
import { Redis } from 'ioredis';
import { StorageError } from './errors.ts';
import { newStamp, partitionOf, type KeyIndex, type PendingEntry } from './key-index.ts';

export interface RedisKeyIndexOptions {
  /** redis://host:port/db */
  url: string;
  /** Prefix of every Redis key, so several stores can share one Redis. */
  namespace: string;
  /** Key segments per partition (2 = `hh/user/`). */
  depth?: number;
  /** Keys fetched per ZRANGEBYLEX page. */
  pageSize?: number;
}

const PROMOTE = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], 0, ARGV[1])
  return 1
end
return 0`;

const DROP = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0`;

const lexFrom = (prefix: string): Buffer | string => (prefix === '' ? '-' : Buffer.concat([Buffer.from('['), Buffer.from(prefix, 'utf8')]));
/** 0xFF never occurs in UTF-8, so every key starting with prefix sorts below prefix+0xFF. */
const lexTo = (prefix: string): Buffer | string => (prefix === '' ? '+' : Buffer.concat([Buffer.from('('), Buffer.from(prefix, 'utf8'), Buffer.from([0xff])]));

export function createRedisKeyIndex(opts: RedisKeyIndexOptions): KeyIndex {
  const depth = opts.depth ?? 2;
  const pageSize = opts.pageSize ?? 1000;
  const redis = new Redis(opts.url, {
    // Fail a command after one reconnect attempt instead of queueing forever: the store maps
    // it to UNAVAILABLE and the protocols answer "try later".
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  // Without a listener ioredis reports connection errors as unhandled; commands fail anyway.
  redis.on('error', () => {});
  const ns = opts.namespace;
  const cKey = (p: string): string => `${ns}:c:${p}`;
  const pKey = (p: string): string => `${ns}:p:${p}`;
  const partsKey = `${ns}:parts`;

  async function run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StorageError('UNAVAILABLE', `key index ${what}: ${(err as Error).message}`, { cause: err });
    }
  }
  async function exec(what: string, m: ReturnType<Redis['multi']>): Promise<void> {
    await run(what, async () => {
      const res = await m.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
  }

  return {
    depth,
    async beginPut(key) {
      const p = partitionOf(key, depth);
      await exec('beginPut', redis.multi().zadd(partsKey, 0, p).zadd(pKey(p), newStamp(), key));
    },
    async commitPut(key) {
      const p = partitionOf(key, depth);
      await exec('commitPut', redis.multi().zadd(cKey(p), 0, key).zrem(pKey(p), key));
    },
    async beginDelete(key) {
      const p = partitionOf(key, depth);
      await exec('beginDelete', redis.multi().zadd(partsKey, 0, p).zadd(pKey(p), newStamp(), key).zrem(cKey(p), key));
    },
    async finishDelete(key) {
      const p = partitionOf(key, depth);
      await exec('finishDelete', redis.multi().zrem(cKey(p), key).zrem(pKey(p), key));
    },
    committed(partition, prefix) {
      return (async function* () {
        const to = lexTo(prefix);
        let from: Buffer | string = lexFrom(prefix);
        for (;;) {
          const page = await run('list', () => redis.zrangebylexBuffer(cKey(partition), from, to, 'LIMIT', 0, pageSize));
          for (const b of page) yield b.toString('utf8');
          if (page.length < pageSize) return;
          from = Buffer.concat([Buffer.from('('), page[page.length - 1]!]);
        }
      })();
    },
    async pending(partition, prefix) {
      const flat = await run('pending', () => redis.zrange(pKey(partition), 0, -1, 'WITHSCORES'));
      const out: PendingEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        if (flat[i]!.startsWith(prefix)) out.push({ key: flat[i]!, stamp: Number(flat[i + 1]) });
      }
      return out;
    },
    async partitions(prefix) {
      const names = await run('partitions', () => redis.zrangebylexBuffer(partsKey, lexFrom(prefix), lexTo(prefix)));
      return names.map((b) => b.toString('utf8'));
    },
    async promote(e) {
      const p = partitionOf(e.key, depth);
      await run('promote', () => redis.eval(PROMOTE, 2, pKey(p), cKey(p), e.key, String(e.stamp)));
    },
    async drop(e) {
      const p = partitionOf(e.key, depth);
      await run('drop', () => redis.eval(DROP, 1, pKey(p), e.key, String(e.stamp)));
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
