/**
 * SEARCHRES (RFC 5182): the result saved by `SEARCH RETURN (SAVE)`, referenced as `$`.
 *
 * The result is kept per MailboxView, that is per session and per selection: SELECT, EXAMINE,
 * UNSELECT and CLOSE all drop the view, so the saved result is reset with it (RFC 5182 2.1)
 * without any hook in those commands. It is kept as UIDs, so messages expunged later simply
 * drop out of it, and it maps to sequence numbers or UIDs as each command needs.
 */
import type { SearchKey, SeqSet } from '../../core/search/criteria.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';

const saved = new WeakMap<MailboxView, readonly number[]>();

/** Replace the saved result with these UIDs (an empty list after a failed SEARCH ... SAVE). */
export function saveResult(view: MailboxView, uids: readonly number[]): void {
  saved.set(view, [...uids].sort((a, b) => a - b));
}

/** Sequence numbers (ascending) of the saved messages still in the view; empty before any SAVE. */
export function savedSeqs(view: MailboxView): number[] {
  const out: number[] = [];
  for (const uid of saved.get(view) ?? []) {
    const seq = view.seqOfUid(uid);
    if (seq > 0) out.push(seq);
  }
  return out.sort((a, b) => a - b);
}

/** True when the set is `$`. */
export function isSaved(set: SeqSet): boolean {
  return set.saved === true;
}

/** Explicit UID ranges for the saved messages (an impossible UID when there are none). */
function savedUidSet(view: MailboxView): SeqSet {
  const uids = savedSeqs(view).map((s) => view.uidAt(s));
  return uids.length > 0 ? uids.map((u) => ({ start: u, end: u })) : [];
}

/**
 * A search key with every `$` (as a sequence-set key or in `UID $`) turned into the saved UIDs,
 * so the evaluator needs no knowledge of SEARCHRES. An empty saved result matches nothing.
 */
export function substituteSaved(key: SearchKey, view: MailboxView): SearchKey {
  switch (key.type) {
    case 'seq':
    case 'uid':
      if (!isSaved(key.set)) return key;
      {
        const set = savedUidSet(view);
        return set.length > 0 ? { type: 'uid', set } : { type: 'not', key: { type: 'all' } };
      }
    case 'not':
      return { type: 'not', key: substituteSaved(key.key, view) };
    case 'or':
      return { type: 'or', left: substituteSaved(key.left, view), right: substituteSaved(key.right, view) };
    case 'and':
      return { type: 'and', keys: key.keys.map((k) => substituteSaved(k, view)) };
    default:
      return key;
  }
}
