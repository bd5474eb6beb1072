/**
 * Runs a SearchKey over a view with core/search's evaluator. One instant for WITHIN across the
 * whole search; a message whose bytes vanished (expunged by another session) does not match.
 */
import { evaluateSearch } from '../../core/search/evaluate.ts';
import type { SearchKey } from '../../core/search/criteria.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { headerMapCache } from './header-map-cache.ts';

export async function searchView(view: MailboxView, key: SearchKey): Promise<number[]> {
  const count = view.count();
  const maxUid = count > 0 ? view.uidAt(count) : 0;
  const now = Date.now();
  const out: number[] = [];
  for (let seq = 1; seq <= count; seq++) {
    try {
      const hit = await evaluateSearch(key, {
        seq,
        meta: view.meta(seq),
        recent: view.isRecent(seq),
        maxSeq: count,
        maxUid,
        loadMessage: () => view.read(seq),
        cachedHeaders: view.cachedHeaders ? () => headerMapCache.get(view.meta(seq).guid, () => view.cachedHeaders!(seq)) : undefined,
        now,
      });
      if (hit) out.push(seq);
    } catch (err) {
      if (isStorageError(err, 'EXPUNGED') || isStorageError(err, 'NOT_FOUND')) continue;
      throw err;
    }
  }
  return out;
}
