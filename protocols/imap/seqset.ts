/**
 * Sequence sets against a view. Sequence numbers above EXISTS are a client error (BAD);
 * UIDs that do not exist are simply not matched (RFC 3501 6.4.8), and `*` is always the
 * highest number present, so `UID 500:*` still matches the last message when its UID is lower.
 */
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { isSaved, savedSeqs } from './search-res.ts';
import type { SeqSet } from './wire/commands.ts';

export type Resolved = { ok: true; seqs: number[] } | { ok: false; text: string };

/** Ascending, duplicate-free sequence numbers addressed by `set`. */
export function resolveSet(view: MailboxView, set: SeqSet, uid: boolean): Resolved {
  // `$` (RFC 5182): the saved messages, whichever way the command numbers them.
  if (isSaved(set)) return { ok: true, seqs: savedSeqs(view) };
  return uid ? resolveUids(view, set) : resolveSeqs(view, set);
}

function resolveSeqs(view: MailboxView, set: SeqSet): Resolved {
  const count = view.count();
  const hit = new Set<number>();
  for (const r of set) {
    const a = r.start === '*' ? count : r.start;
    const b = r.end === '*' ? count : r.end;
    if (a < 1 || b < 1 || a > count || b > count) return { ok: false, text: 'Invalid message sequence number' };
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (let s = lo; s <= hi; s++) hit.add(s);
  }
  return { ok: true, seqs: [...hit].sort((x, y) => x - y) };
}

/** First sequence number whose UID is >= uid (count + 1 when none). UIDs ascend with seq. */
export function lowerBound(view: MailboxView, uid: number): number {
  let lo = 1;
  let hi = view.count() + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (view.uidAt(mid) < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function resolveUids(view: MailboxView, set: SeqSet): Resolved {
  const count = view.count();
  if (count === 0) return { ok: true, seqs: [] };
  const maxUid = view.uidAt(count);
  const hit = new Set<number>();
  for (const r of set) {
    const a = r.start === '*' ? maxUid : r.start;
    const b = r.end === '*' ? maxUid : r.end;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (let s = lowerBound(view, lo); s <= count && view.uidAt(s) <= hi; s++) hit.add(s);
  }
  return { ok: true, seqs: [...hit].sort((x, y) => x - y) };
}

/** UIDs of the given sequence numbers, in the same order. */
export function uidsOf(view: MailboxView, seqs: readonly number[]): number[] {
  return seqs.map((s) => view.uidAt(s));
}
