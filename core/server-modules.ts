/**
 * Finds the modules the server is assembled from, by path and export name, at run time.
 * A module that is missing or fails to load is logged and left out: the server starts without
 * that piece (e.g. no LMTP listener) instead of not starting at all. The shapes below are the
 * slices of the colleagues' contracts the bootstrap relies on.
 */
import type { Logger } from 'pino';
import { join } from 'node:path';
import type { Config } from './config/schema.ts';
import type { MailStoreProvider } from './storage/mail-store.ts';
import type { ObjectStore } from './storage/object-store.ts';
import type { SessionFactory } from '../protocols/net/types.ts';

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

const here = (rel: string): string => new URL(rel, import.meta.url).href;

/** `export` of the module at `rel` (relative to core/), if it loads and is a function. */
export async function importExport<T>(rel: string, name: string, log?: Logger): Promise<T | null> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(here(rel))) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(rel.replace(/^(\.\.?\/)+/, ''))) {
      log?.warn({ module: rel }, `${rel} not present`);
    } else {
      log?.error({ err, module: rel }, `${rel} failed to load`);
    }
    return null;
  }
  const value = mod[name];
  if (typeof value !== 'function') {
    log?.warn({ module: rel, export: name }, `${rel} has no ${name}() export`);
    return null;
  }
  return value as T;
}

type FsStoreFn = (root: string) => ObjectStore;
type MemoryStoreFn = () => ObjectStore;

export async function loadServerModules(log?: Logger): Promise<ServerModules> {
  const [pool, fsStore, memStore, mailStore, imap, pop3, lmtp] = await Promise.all([
    importExport<ServerModules['createWorkerPool']>('../workers/pool.ts', 'createWorkerPool', log),
    importExport<FsStoreFn>('./storage/drivers/fs.ts', 'createFsStore', log),
    importExport<MemoryStoreFn>('./storage/drivers/memory.ts', 'createMemoryStore', log),
    importExport<NonNullable<ServerModules['createMailStore']>>('./storage/mail-store-impl.ts', 'createMailStore', log),
    importExport<SessionFactory>('../protocols/imap/session.ts', 'createImapSession', log),
    importExport<SessionFactory>('../protocols/pop3/session.ts', 'createPop3Session', log),
    importExport<SessionFactory>('../protocols/lmtp/session.ts', 'createLmtpSession', log),
  ]);
  const createObjectStore = (config: Config): ObjectStore => {
    if (config.storage.driver === 'memory') {
      if (!memStore) throw new Error('storage.driver memory: core/storage/drivers/memory.ts unavailable');
      return memStore();
    }
    if (!fsStore) throw new Error('storage.driver fs: core/storage/drivers/fs.ts unavailable');
    return fsStore(config.storage.fsRoot ?? join(config.home, 'storage'));
  };
  return {
    createWorkerPool: pool,
    createObjectStore: fsStore || memStore ? createObjectStore : null,
    createMailStore: mailStore,
    imapSession: imap,
    pop3Session: pop3,
    lmtpSession: lmtp,
  };
}
