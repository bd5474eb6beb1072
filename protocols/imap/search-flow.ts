/** Runs a SearchKey over a view. Placeholder until core/search/evaluate.ts lands. */
import type { SearchKey } from '../../core/search/criteria.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';

export async function searchView(view: MailboxView, key: SearchKey): Promise<number[]> {
  void key;
  const out: number[] = [];
  for (let s = 1; s <= view.count(); s++) out.push(s);
  return out;
}
