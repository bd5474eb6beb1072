/**
 * Turning a view's pending changes into untagged responses: EXPUNGE (descending, as the view
 * hands them), EXISTS, RECENT and FETCH FLAGS for flags other sessions changed.
 */
import type { MailboxView, ViewUpdate } from '../../core/storage/mail-store.ts';
import { flagList } from './encode.ts';
import { uidsToRanges, vanishedLines } from './qresync.ts';
import { isRecentHidden } from './rev2.ts';
import type { ImapContext } from './types.ts';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

/** FLAGS and PERMANENTFLAGS for the current keyword set. */
export function flagsLines(ctx: ImapContext): string[] {
  const flags = [...SYSTEM_FLAGS, ...[...ctx.knownKeywords].sort()];
  return [
    `FLAGS ${flagList(flags)}`,
    ctx.view?.readOnly
      ? 'OK [PERMANENTFLAGS ()] Read-only mailbox.'
      : `OK [PERMANENTFLAGS ${flagList([...flags, '\\*'])}] Flags permitted.`,
  ];
}

/**
 * New keywords on the given messages: the client must hear the new FLAGS before a FETCH shows
 * them (RFC 3501 7.2.6). Returns the lines to send (empty when nothing is new).
 */
export function keywordLines(ctx: ImapContext, seqs: readonly number[]): string[] {
  const view = ctx.view;
  if (!view) return [];
  let grew = false;
  for (const seq of seqs) {
    if (seq < 1 || seq > view.count()) continue;
    for (const f of view.meta(seq).flags) {
      if (!f.startsWith('\\') && !ctx.knownKeywords.has(f)) ctx.knownKeywords.add(f), (grew = true);
    }
  }
  return grew ? flagsLines(ctx) : [];
}

/** A message's flags as this session sees them: stored flags plus its own \Recent. */
export function sessionFlags(view: MailboxView, seq: number): string[] {
  const flags = view.meta(seq).flags.slice();
  // IMAP4rev2 has no \Recent (RFC 9051 appendix E).
  if (view.isRecent(seq) && !isRecentHidden(view)) flags.push('\\Recent');
  return flags;
}

/**
 * `modes`: CONDSTORE adds MODSEQ to flag updates (RFC 7162 3.1.4); QRESYNC reports expunges as
 * one VANISHED by UID and adds UID to flag updates (RFC 7162 3.2.7, 3.2.10).
 */
export function updateLines(view: MailboxView, u: ViewUpdate, modes: { condstore?: boolean; qresync?: boolean } = {}): string[] {
  const lines: string[] = [];
  if (modes.qresync && u.expungedUids) {
    if (u.expungedUids.length > 0) lines.push(...vanishedLines(uidsToRanges(u.expungedUids), false));
  } else for (const seq of u.expunged) lines.push(`${seq} EXPUNGE`);
  if (u.exists !== null) lines.push(`${u.exists} EXISTS`);
  if (u.recent !== null && !isRecentHidden(view)) lines.push(`${u.recent} RECENT`);
  for (const seq of u.flagsChanged) {
    if (seq < 1 || seq > view.count()) continue;
    let items = `FLAGS ${flagList(sessionFlags(view, seq))}`;
    if (modes.qresync) items = `UID ${view.uidAt(seq)} ${items}`;
    if (modes.condstore || modes.qresync) items += ` MODSEQ (${view.meta(seq).modseq})`;
    lines.push(`${seq} FETCH (${items})`);
  }
  return lines;
}
