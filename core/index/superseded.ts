/**
 * When a superseded index key may be deleted (split-brain safety, README "Merge of index heads").
 *
 * A superseded base is not garbage while a split brain lasts: the other side may still write
 * diffs against it, and those diffs are heads only as long as their base exists. So a superseded
 * root bundle (and the mailbox bundles only it names) and superseded diffs are kept for a grace
 * period that starts when the key stopped being *needed*, and go only once no head needs them:
 *
 * - a diff is needed until something superseded it: the same writer's next diff of the same base
 *   (the diff key's time) or a root bundle naming it in `parents` (that root key's time);
 * - a root bundle is needed while it is a head or the base of a head, then until the latest of:
 *   the time a root bundle superseded it, its own diffs' times, and the times they were superseded.
 *   A writer still on that base keeps it alive by writing diffs (each one is a head again).
 *
 * Times come from the key names (bundle.TS.RAND, <base>-DIFF.TS.RAND.WRITER). When the superseder
 * of a key is unknown (a root not read) the newest key's time stands in: later, never earlier.
 * Pure functions; the caller lists, reads and deletes.
 */
import { DIFF_MARK, parseRootKey, type ParentsOf, selectHeads } from './heads.ts';

/** Milliseconds in a root or diff key name (the diff's own time for a diff); 0 when unreadable. */
export function rootKeyTime(key: string): number {
  const cut = key.indexOf(DIFF_MARK);
  const tail = cut >= 0 ? key.slice(cut + DIFF_MARK.length) : key.slice(key.lastIndexOf('/') + 1).replace(/^bundle\./, '');
  const ms = Number(tail.split('.')[0]);
  return Number.isFinite(ms) ? ms : 0;
}

export interface SupersededPlan {
  heads: string[];
  /** Keys under i/root/ whose grace is over and that no head needs, ascending. */
  deletable: string[];
  /** Superseded keys still in their grace: when the earliest of them becomes deletable (null: none). */
  nextDue: number | null;
  /** When each superseded key stopped being needed (Infinity: a head needs it). */
  neededUntil: Map<string, number>;
}

/**
 * Plan the deletion of superseded keys among `keys` (a listing of i/root/). `parentsOf` should
 * know every listed root (undefined entries are treated conservatively: they supersede nothing).
 */
export function planSuperseded(keys: readonly string[], parentsOf: ParentsOf, now: number, graceMs: number): SupersededPlan {
  const sorted = [...new Set(keys)].sort();
  const { heads } = selectHeads(sorted, parentsOf);
  const headSet = new Set(heads);
  const newest = sorted.reduce((m, k) => Math.max(m, rootKeyTime(k)), 0);
  const listed = new Set(sorted);

  // Earliest time something superseded each key (by a newer diff of the same pair, or a root's parents).
  const supersededAt = new Map<string, number>();
  const note = (k: string, at: number) => {
    if (listed.has(k)) supersededAt.set(k, Math.min(supersededAt.get(k) ?? Infinity, at));
  };
  const diffsOf = new Map<string, string[]>();
  const lastOfPair = new Map<string, string>();
  for (const k of sorted) {
    const i = parseRootKey(k);
    if (i.isDiff) {
      const list = diffsOf.get(i.base) ?? [];
      list.push(k);
      diffsOf.set(i.base, list);
      const pair = `${i.base}\n${i.writer}`;
      const prev = lastOfPair.get(pair);
      if (prev !== undefined) note(prev, rootKeyTime(k));
      lastOfPair.set(pair, k);
      continue;
    }
    const parents = parentsOf(k);
    if (parents === null) {
      for (const other of sorted) if (other < k) note(other, rootKeyTime(k));
    } else if (parents) {
      for (const p of parents) note(p, rootKeyTime(k));
    }
  }

  const neededUntil = new Map<string, number>();
  const baseOfHead = new Set(heads.map((h) => parseRootKey(h).base));
  const diffNeed = (d: string) => (headSet.has(d) ? Infinity : Math.max(rootKeyTime(d), supersededAt.get(d) ?? newest));
  for (const k of sorted) {
    const i = parseRootKey(k);
    let need: number;
    if (headSet.has(k) || (!i.isDiff && baseOfHead.has(k))) need = Infinity;
    else if (i.isDiff) need = diffNeed(k);
    else {
      // A root superseded only through its diffs has no root time of its own: assume the newest.
      need = Math.max(rootKeyTime(k), supersededAt.has(k) ? supersededAt.get(k)! : newest);
      for (const d of diffsOf.get(k) ?? []) need = Math.max(need, diffNeed(d));
    }
    neededUntil.set(k, need);
  }

  const deletable: string[] = [];
  let nextDue: number | null = null;
  for (const [k, need] of neededUntil) {
    if (need === Infinity) continue;
    const due = need + graceMs;
    if (due <= now) deletable.push(k);
    else nextDue = nextDue === null ? due : Math.min(nextDue, due);
  }
  // A diff outlives its base only by accident: never delete a base and keep a diff of it.
  const gone = new Set(deletable);
  const keptBases = new Set<string>();
  for (const k of sorted) if (!gone.has(k)) keptBases.add(parseRootKey(k).base);
  const safe = deletable.filter((k) => parseRootKey(k).isDiff || !keptBases.has(k));
  return { heads, deletable: safe.sort(), nextDue, neededUntil };
}

/**
 * Mailbox bundle keys only the deleted roots name: not named by any root that stays (a base
 * inherits unchanged mailboxes' bundles from its parent, and two forks share their ancestor's).
 */
export function bundlesOnlyNamedBy(
  deletedRoots: readonly string[],
  keptRoots: readonly string[],
  bundlesOf: (rootKey: string) => readonly string[],
): string[] {
  const kept = new Set<string>();
  for (const r of keptRoots) for (const b of bundlesOf(r)) kept.add(b);
  const out = new Set<string>();
  for (const r of deletedRoots) for (const b of bundlesOf(r)) if (!kept.has(b)) out.add(b);
  return [...out].sort();
}
