/** `columba mailbox rebuild USER`: rebuild a user's index from the message objects. */
import type { Config } from '../config/schema.ts';
import { silentLogger, createLogger } from '../log/logger.ts';
import { importExport, loadServerModules } from '../server-modules.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { CliExit } from './io.ts';

type RebuildFn = (objects: ObjectStore, config: Config, user: string, opts?: { log?: unknown }) => Promise<unknown>;

export async function mailboxRebuild(config: Config, user: string): Promise<void> {
  const log = config.log.level === 'silent' ? silentLogger() : createLogger(config);
  const rebuild = await importExport<RebuildFn>('./storage/rebuild.ts', 'rebuildUser');
  const modules = await loadServerModules();
  if (!rebuild || !modules.createObjectStore) {
    throw new CliExit(1, 'mailbox rebuild is not available in this build (core/storage/rebuild.ts or the storage drivers are missing)');
  }
  if (config.storage.driver === 'memory') throw new CliExit(1, 'mailbox rebuild needs a persistent storage driver (storage.driver is memory)');
  const objects = modules.createObjectStore(config);
  try {
    const result = await rebuild(objects, config, user, { log });
    process.stdout.write(`rebuilt ${user}: ${JSON.stringify(result)}\n`);
  } finally {
    await objects.close();
  }
}
