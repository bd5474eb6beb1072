/**
 * Turning a view's pending changes into untagged responses: EXPUNGE (descending, as the view
 * hands them), EXISTS, RECENT and FETCH FLAGS for flags other sessions changed.
 */
import type { MailboxView, ViewUpdate } from '../../core/storage/mail-store.ts';
import { flagList } from './encode.ts';

/** A message's flags as this session sees them: stored flags plus its own \Recent. */
export function sessionFlags(view: MailboxView, seq: number): string[] {
  const flags = view.meta(seq).flags.slice();
  if (view.isRecent(seq)) flags.push('\\Recent');
  return flags;
}

export function updateLines(view: MailboxView, u: ViewUpdate): string[] {
  const lines: string[] = [];
  for (const seq of u.expunged) lines.push(`${seq} EXPUNGE`);
  if (u.exists !== null) lines.push(`${u.exists} EXISTS`);
  if (u.recent !== null) lines.push(`${u.recent} RECENT`);
  for (const seq of u.flagsChanged) {
    if (seq >= 1 && seq <= view.count()) lines.push(`${seq} FETCH (FLAGS ${flagList(sessionFlags(view, seq))})`);
  }
  return lines;
}
