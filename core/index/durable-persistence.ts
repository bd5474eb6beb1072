/** Placeholder until the journal lands: behaves like the memory persistence. */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { createMemoryPersistence, type IndexPersistence } from './persistence.ts';

export interface DurableOptions {
  user: string;
  objects: ObjectStore;
  config: Config;
  dir: string;
  log?: Logger;
}

export function createDurablePersistence(opts: DurableOptions): IndexPersistence {
  return createMemoryPersistence(opts.user, new Map());
}
