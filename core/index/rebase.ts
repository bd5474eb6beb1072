/**
 * A diff written against a base that another head already merged (a third backend merged both
 * lines while both sides went on writing). The merged head gave every row it changed MODSEQ =
 * max(heads)+1, usually above what that side writes next: merged as two plain sides, the newer
 * flag change would lose to the merged head's older copy. What the diff changed happened after
 * its base, which the merged head already holds, so it is newer than anything the merged head
 * knows of those rows: before merging, the rows the diff touched get a MODSEQ above every head's
 * (per mailbox). Two such sides touching one row tie, and the merge's tie rule applies. Expunges
 * need nothing: they win anyway.
 */
import { parseRootKey, type ParentsOf } from './heads.ts';
import type { JournalRecord } from './records.ts';
import type { UserIndex } from './user-index.ts';

/** UIDs per mailbox GUID whose flags or existence the records changed. */
export function touchedRows(records: readonly JournalRecord[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  const add = (mb: string, uid: number) => {
    let s = out.get(mb);
    if (!s) out.set(mb, (s = new Set()));
    s.add(uid);
  };
  for (const r of records) {
    if (r.t === 'flags') for (const u of r.uids) add(r.mb, u);
    else if (r.t === 'append') add(r.mb, r.m.uid);
  }
  return out;
}

/** True when `head` is a diff whose base another head's root names in `parents` (it was merged). */
export function isBehindAnotherHead(head: string, heads: readonly string[], parentsOf: ParentsOf): boolean {
  const info = parseRootKey(head);
  if (!info.isDiff) return false;
  return heads.some((h) => h !== head && (parentsOf(parseRootKey(h).base) ?? []).includes(info.base));
}

/**
 * Lift the touched rows of the `lifted` parts above every part's HIGHESTMODSEQ of that mailbox,
 * so they win the merge's "higher MODSEQ" rule against a head that merged their base.
 */
export function liftTouchedRows(parts: readonly UserIndex[], lifted: ReadonlyMap<UserIndex, Map<string, Set<number>>>): void {
  const floor = new Map<string, number>();
  for (const p of parts) {
    for (const e of p.mailboxes.values()) {
      if (e.index) floor.set(e.guid, Math.max(floor.get(e.guid) ?? 0, e.index.highestModseq));
    }
  }
  for (const [part, touched] of lifted) {
    for (const [mb, uids] of touched) {
      const idx = part.byGuid.get(mb)?.index;
      if (!idx) continue;
      const top = (floor.get(mb) ?? idx.highestModseq) + 1;
      for (const uid of uids) {
        const pos = idx.positionOf(uid);
        if (pos >= 0) idx.modseqs[pos] = top;
      }
      if (top > idx.highestModseq) idx.highestModseq = top;
    }
  }
}
