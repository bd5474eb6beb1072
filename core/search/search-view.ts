/**
 * SEARCH over a selected mailbox view: evaluates the key for each message in sequence order
 * and returns the matching sequence numbers. Messages are read only for keys that need
 * content (see evaluate.ts), one at a time.
 */
import type { SearchKey } from './criteria.ts';
import { evaluateSearch, type SearchContext } from './evaluate.ts';
import type { MailboxView } from '../storage/mail-store.ts';

export interface SearchViewOptions {
  /** Current time for WITHIN; one instant for the whole search. Defaults to Date.now(). */
  now?: number;
  /** Only these sequence numbers are candidates (e.g. from an index); all when absent. */
  candidates?: Iterable<number>;
}

/** Matching sequence numbers, ascending. */
export async function searchView(view: MailboxView, key: SearchKey, opts: SearchViewOptions = {}): Promise<number[]> {
  const count = view.count();
  const maxUid = count > 0 ? view.uidAt(count) : 0;
  const now = opts.now ?? Date.now();
  const seqs = opts.candidates ? [...opts.candidates].filter((s) => s >= 1 && s <= count).sort((a, b) => a - b) : null;
  const out: number[] = [];
  const total = seqs ? seqs.length : count;
  for (let i = 0; i < total; i++) {
    const seq = seqs ? seqs[i]! : i + 1;
    const ctx: SearchContext = {
      seq,
      meta: view.meta(seq),
      recent: view.isRecent(seq),
      maxSeq: count,
      maxUid,
      now,
      loadMessage: () => view.read(seq),
      cachedHeaders: view.cachedHeaders ? () => view.cachedHeaders!(seq) : undefined,
    };
    if (await evaluateSearch(key, ctx)) out.push(seq);
  }
  return out;
}
