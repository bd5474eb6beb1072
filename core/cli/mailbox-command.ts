/** `columba mailbox rebuild USER`: rebuild a user's index from the message objects. */
import type { Config } from '../config/schema.ts';
import { silentLogger, createLogger } from '../log/logger.ts';
import { loadServerModules } from '../server-modules.ts';
import { rebuildUser } from '../storage/rebuild.ts';
import { CliExit } from './io.ts';

export async function mailboxRebuild(config: Config, user: string): Promise<void> {
  const log = config.log.level === 'silent' ? silentLogger() : createLogger(config);
  if (config.storage.driver === 'memory') throw new CliExit(1, 'mailbox rebuild needs a persistent storage driver (storage.driver is memory)');
  const modules = await loadServerModules();
  const objects = modules.createObjectStore!(config);
  try {
    const result = await rebuildUser(objects, config, user, { log });
    process.stdout.write(`rebuilt ${user}: ${JSON.stringify(result)}\n`);
  } finally {
    await objects.close();
  }
}
