/** `columba storage sweep USER [--dry-run] [--min-age 1h]`: remove orphaned message objects. */
import type { Config } from '../config/schema.ts';
import { createLogger, silentLogger } from '../log/logger.ts';
import { loadServerModules } from '../server-modules.ts';
import { sweepUser } from '../storage/sweep.ts';
import { CliExit } from './io.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d", "500ms"; a bare number is seconds. null when not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
}

export async function storageSweep(config: Config, user: string, opts: { dryRun?: boolean; minAge?: string }): Promise<void> {
  const minAgeMs = parseDuration(opts.minAge ?? '1h');
  if (minAgeMs === null) throw new CliExit(2, `storage sweep: --min-age: not a duration (like 90s, 30m, 1h): ${opts.minAge}`);
  if (config.storage.driver === 'memory') throw new CliExit(1, 'storage sweep needs a persistent storage driver (storage.driver is memory)');
  const log = config.log.level === 'silent' ? silentLogger() : createLogger(config);
  const objects = (await loadServerModules()).createObjectStore!(config);
  try {
    const dryRun = opts.dryRun === true;
    const r = await sweepUser(objects, config, user, { minAgeMs, dryRun, log });
    const out = process.stdout;
    if (r.indexTime === null) {
      out.write(`${user}: no index in the object store; nothing swept (every object may be an unindexed delivery)\n`);
      return;
    }
    for (const o of r.removed) {
      out.write(`${dryRun ? 'would remove' : 'removed'} ${o.key} size=${o.size} saved=${new Date(o.saveDate).toISOString()}\n`);
    }
    out.write(
      `${user}: ${r.listed} objects, ${r.referenced} referenced, ${r.removed.length} ${dryRun ? 'to remove' : 'removed'}, ` +
        `kept ${r.keptRecent.length} recent, ${r.keptMarked.length} purge-marked, ${r.keptUnreadable.length} unreadable\n`,
    );
  } finally {
    await objects.close();
  }
}
