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
import { createMailStore } from './storage/mail-store-impl.ts';
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
  const createObjectStore = (config: Config): ObjectStore =>
    config.storage.driver === 'memory'
      ? createMemoryStore()
      : createFsStore(config.storage.fsRoot ?? join(config.home, 'storage'));
  return {
    createWorkerPool,
    createObjectStore,
    createMailStore,
    imapSession: createImapSession,
    pop3Session: createPop3Session,
    lmtpSession: createLmtpSession,
  };
}
