/**
 * What SORT and THREAD share: run the search criteria over the view, then gather each
 * matching message's metadata and (when needed) header facts: from the index's header cache
 * when it has them, else by reading each message once.
 * `$` in the criteria is the SEARCHRES saved result. A message whose bytes vanished (expunged by another session) sorts with empty headers.
 */
import { isStorageError } from '../../core/storage/errors.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import type { SearchKey } from '../../core/search/criteria.ts';
import { headerFacts, NO_HEADERS, type HeaderFacts } from '../../core/search/sort-fields.ts';
import { searchView } from './search-flow.ts';
import { substituteSaved } from './search-res.ts';
import { headerMapCache } from './header-map-cache.ts';

export interface MessageFacts {
  seq: number;
  internalDate: number;
  size: number;
  headers: HeaderFacts | null;
}

/** The facts from the index's header cache (first value of each field, as headerFacts takes). */
function cachedFacts(cached: Map<string, string[]>): HeaderFacts {
  const first = (name: string): string | null => cached.get(name)?.[0] ?? null;
  return {
    subject: first('subject'),
    date: first('date'),
    from: first('from'),
    to: first('to'),
    cc: first('cc'),
    messageId: first('message-id'),
    references: first('references'),
    inReplyTo: first('in-reply-to'),
  };
}

async function readHeaders(view: MailboxView, seq: number): Promise<HeaderFacts> {
  const cached = view.cachedHeaders ? headerMapCache.get(view.meta(seq).guid, () => view.cachedHeaders!(seq)) : null;
  if (cached) return cachedFacts(cached);
  try {
    return headerFacts(await view.read(seq));
  } catch (err) {
    if (isStorageError(err, 'EXPUNGED') || isStorageError(err, 'NOT_FOUND')) return NO_HEADERS;
    throw err;
  }
}

/** Reads in flight at once: hides object-store latency without flooding it. */
const READ_CONCURRENCY = 8;

export async function gatherFacts(view: MailboxView, search: SearchKey, needHeaders: boolean): Promise<MessageFacts[]> {
  // `$` (SEARCHRES) stands for the saved result here too (RFC 5182 2.4).
  const seqs = await searchView(view, substituteSaved(search, view));
  const out: MessageFacts[] = seqs.map((seq) => {
    const meta = view.meta(seq);
    return { seq, internalDate: meta.internalDate, size: meta.size, headers: null };
  });
  if (!needHeaders) return out;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < out.length) {
      const item = out[next++]!;
      item.headers = await readHeaders(view, item.seq);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, out.length) }, worker));
  return out;
}
