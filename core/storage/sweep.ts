/**
 * `columba storage sweep USER`: delete message objects no mailbox of the user refers to, left
 * behind by a crash between an index commit and the object's deletion (or by a delete that
 * failed and was never retried).
 *
 * Safety, because deleting a message that is still wanted is the one mistake that cannot be
 * undone:
 * - The index is loaded the way another backend would (a fresh, temporary metacache: the
 *   object store's newest base and diff only), so nothing referenced by the shared index is
 *   ever deleted: no dangling reference.
 * - An unindexed object is either an orphan or a delivery whose index record has not reached the
 *   object store yet (in flight, or only in a dead backend's journal: recovery adds those at the
 *   user's next load). Only objects saved more than `minAgeMs` before now AND before the newest
 *   index object was written are orphans: the backend that wrote that index had the user loaded
 *   long after the object existed, its recovery would have added the object, so it was expunged
 *   since. (Not covered: two backends serving the user at once, see README "Deletion and sweep".)
 * - Objects with a purge mark are left to the backends (a session may still read them; the
 *   next load deletes them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { createDurablePersistence } from '../index/durable-persistence.ts';
import { indexPrefix, isGuid, messageKey, messagePrefix } from './keys.ts';
import type { ObjectStore } from './object-store.ts';
import { readMessageHeader, referencedGuids } from './recovery.ts';

export interface SweepOptions {
  /** Objects saved less than this long ago are never swept (deliveries in flight). */
  minAgeMs: number;
  /** Report what would go, delete nothing. */
  dryRun: boolean;
  /** Clock (tests). */
  now?: number;
  log?: Logger;
}

export interface SweptObject {
  guid: string;
  key: string;
  saveDate: number;
  size: number;
}

export interface SweepResult {
  /** Time (ms) encoded in the newest index object's key; null when the user has no index. */
  indexTime: number | null;
  /** Message objects listed. */
  listed: number;
  referenced: number;
  /** Deleted (or, with dryRun, to be deleted). */
  removed: SweptObject[];
  /** Unreferenced but too young, or saved after the newest index: maybe a delivery. */
  keptRecent: string[];
  /** Unreferenced with a purge mark: the backends delete those. */
  keptMarked: string[];
  /** Unreadable headers: never deleted blind. */
  keptUnreadable: string[];
}

/** The newest index object's time: the last timestamp in its key (a diff's, else its base's). */
export function indexKeyTime(key: string): number | null {
  const all = [...key.matchAll(/\.(\d{15})\.[0-9a-f]+/g)];
  const last = all.at(-1);
  return last ? Number(last[1]) : null;
}

async function newestIndexKey(objects: ObjectStore, user: string): Promise<string | null> {
  let newest: string | null = null;
  for await (const k of objects.list(indexPrefix(user, 'root'))) if (newest === null || k > newest) newest = k;
  return newest;
}

export async function sweepUser(objects: ObjectStore, config: Config, user: string, opts: SweepOptions): Promise<SweepResult> {
  const now = opts.now ?? Date.now();
  const result: SweepResult = { indexTime: null, listed: 0, referenced: 0, removed: [], keptRecent: [], keptMarked: [], keptUnreadable: [] };
  const newest = await newestIndexKey(objects, user);
  result.indexTime = newest ? indexKeyTime(newest) : null;
  // Without an uploaded index every object may be an unindexed delivery: sweep nothing.
  if (result.indexTime === null) return result;

  const dir = await mkdtemp(join(tmpdir(), 'columba-sweep-'));
  let referenced: Set<string>;
  let marked: Set<string>;
  try {
    // load() only: closing would upload, and a sweep must not write any index.
    const { index } = await createDurablePersistence({ user, objects, config, dir, log: opts.log }).load();
    referenced = referencedGuids(index);
    marked = new Set(index.pendingPurge);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const prefix = messagePrefix(user);
  // minAge before the index too: an index uploaded while a delivery was between its PUT and its
  // journal commit does not list it, and that backend may have died with the record.
  const cutoff = Math.min(now, result.indexTime) - opts.minAgeMs;
  for await (const key of objects.list(prefix)) {
    const guid = key.slice(prefix.length);
    if (!isGuid(guid)) continue;
    result.listed++;
    if (referenced.has(guid)) {
      result.referenced++;
      continue;
    }
    if (marked.has(guid)) {
      result.keptMarked.push(guid);
      continue;
    }
    let header;
    try {
      header = await readMessageHeader(objects, key);
    } catch (err) {
      opts.log?.warn({ err, key }, 'sweep: unreadable message object kept');
      result.keptUnreadable.push(guid);
      continue;
    }
    if (!header) continue; // deleted meanwhile
    if (!Number.isFinite(header.saveDate) || header.guid !== guid) {
      result.keptUnreadable.push(guid);
      continue;
    }
    if (header.saveDate >= cutoff) {
      result.keptRecent.push(guid);
      continue;
    }
    result.removed.push({ guid, key, saveDate: header.saveDate, size: header.size });
  }
  if (!opts.dryRun) {
    for (const r of result.removed) await objects.delete(messageKey(user, r.guid));
    if (result.removed.length > 0) opts.log?.info({ user, count: result.removed.length }, 'sweep removed orphaned message objects');
  }
  return result;
}
