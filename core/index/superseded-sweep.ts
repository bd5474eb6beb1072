/**
 * Delete the superseded index keys of one user whose grace is over (plan: superseded.ts).
 *
 * Runs after an upload, only when the writer knows something may be due, and lists i/root/
 * afresh: a diff another backend wrote since our load makes its base needed again, and the
 * listing at load cannot know that. Every listed root is read (local copy or GET): the heads and
 * the mailbox bundles a deleted root alone names depend on all of them. Superseded roots are few
 * (those still in their grace), and a sweep runs at most once per grace period per key.
 *
 * Order: mailbox bundles first, then diffs and roots. A crash in between leaves a superseded
 * root without some bundles, which nothing loads (it is no head) and the next sweep deletes.
 */
import type { Logger } from 'pino';
import { isStorageError } from '../storage/errors.ts';
import type { RootBundle } from './bundle.ts';
import { parseRootKey } from './heads.ts';
import { bundlesOnlyNamedBy, planSuperseded, rootKeyTime } from './superseded.ts';

export interface SupersededSweepDeps {
  rootPrefix: string;
  list(prefix: string): AsyncIterable<string>;
  /** A root bundle (cached by the caller); rejects NOT_FOUND when it is gone. */
  readRoot(key: string): Promise<RootBundle>;
  /** Delete one key; resolves true when it is gone (also when it was not there). */
  remove(key: string): Promise<boolean>;
  now: number;
  graceMs: number;
  log?: Logger;
  user?: string;
}

export interface SupersededSweepResult {
  /** Keys under i/root/ that are gone now. */
  deleted: string[];
  /** Keys under i/root/ still listed (superseded ones among them are still in their grace or failed). */
  remaining: string[];
  /** Mailbox bundles deleted. */
  bundles: string[];
  /** When to sweep again (null: nothing superseded is left). */
  nextDue: number | null;
}

export async function sweepSuperseded(deps: SupersededSweepDeps): Promise<SupersededSweepResult> {
  let keys: string[] = [];
  for await (const k of deps.list(deps.rootPrefix)) keys.push(k);
  const roots = new Map<string, RootBundle>();
  for (const k of keys) {
    if (parseRootKey(k).isDiff) continue;
    try {
      roots.set(k, await deps.readRoot(k));
    } catch (err) {
      if (!isStorageError(err, 'NOT_FOUND')) throw err; // unsure what it supersedes: try again later
    }
  }
  // A diff whose base is gone is an orphan nothing loads (heads.ts): it goes once past the grace
  // counted from its own time.
  const orphans = keys.filter((k) => !roots.has(parseRootKey(k).base) && rootKeyTime(k) + deps.graceMs <= deps.now);
  keys = keys.filter((k) => roots.has(parseRootKey(k).base));
  const plan = planSuperseded(keys, (k) => (roots.has(k) ? (roots.get(k)!.parents ?? null) : undefined), deps.now, deps.graceMs);
  const doomed = new Set(plan.deletable);
  const deletedRoots = plan.deletable.filter((k) => !parseRootKey(k).isDiff);
  const keptRoots = [...roots.keys()].filter((k) => !doomed.has(k));
  const bundles = bundlesOnlyNamedBy(deletedRoots, keptRoots, (r) => Object.values(roots.get(r)?.bundles ?? {}));
  const failed = new Set<string>();
  for (const b of bundles) {
    if (!(await deps.remove(b))) failed.add(b);
  }
  const deleted: string[] = [];
  for (const k of orphans) if (await deps.remove(k)) deleted.push(k);
  // Diffs before their bases (descending key order puts a base's diffs first).
  for (const k of [...plan.deletable].sort().reverse()) {
    const info = parseRootKey(k);
    // Keep a root whose own bundles could not all be deleted: it is how the next sweep finds them.
    if (!info.isDiff && Object.values(roots.get(k)?.bundles ?? {}).some((b) => failed.has(b))) continue;
    if (await deps.remove(k)) deleted.push(k);
  }
  if (deleted.length > 0) deps.log?.debug({ user: deps.user, deleted, bundles: bundles.length }, 'superseded index keys deleted');
  const gone = new Set(deleted);
  const remaining = keys.filter((k) => !gone.has(k));
  const retry = deleted.length < plan.deletable.length + orphans.length ? deps.now + Math.max(deps.graceMs, 60_000) : null;
  const nextDue = [plan.nextDue, retry].filter((t): t is number => t !== null).reduce<number | null>((a, t) => (a === null ? t : Math.min(a, t)), null);
  return { deleted: deleted.sort(), remaining, bundles: bundles.filter((b) => !failed.has(b)), nextDue };
}
