/**
 * SELECT and EXAMINE (RFC 3501 6.3.1/6.3.2): close what was selected (a failed SELECT leaves
 * the session authenticated), open the view, and describe it.
 */
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { flagsLines } from './updates.ts';
import type { Completion, ImapContext } from './types.ts';

/** Every keyword used in the mailbox, for FLAGS and PERMANENTFLAGS. */
function mailboxKeywords(view: MailboxView): string[] {
  const keywords = new Set<string>();
  for (let seq = 1; seq <= view.count(); seq++) {
    for (const f of view.meta(seq).flags) if (!f.startsWith('\\')) keywords.add(f);
  }
  return [...keywords];
}

function firstUnseen(view: MailboxView): number {
  for (let seq = 1; seq <= view.count(); seq++) {
    if (!view.meta(seq).flags.includes('\\Seen')) return seq;
  }
  return 0;
}

export async function selectMailbox(
  ctx: ImapContext,
  mailbox: string,
  readOnly: boolean,
  condstore: boolean,
): Promise<Completion> {
  if (!ctx.mail) return { status: 'BAD', text: 'Not logged in' };
  await ctx.deselect();
  const view = await ctx.mail.openMailbox(mailbox, { readOnly });
  ctx.view = view;
  ctx.state = 'selected';
  if (condstore) ctx.enabled.add('CONDSTORE');

  ctx.knownKeywords.clear();
  for (const k of mailboxKeywords(view)) ctx.knownKeywords.add(k);
  const lines = flagsLines(ctx);
  lines.push(`${view.count()} EXISTS`, `${view.recentCount()} RECENT`);
  const unseen = firstUnseen(view);
  if (unseen > 0) lines.push(`OK [UNSEEN ${unseen}] First unseen.`);
  lines.push(`OK [UIDVALIDITY ${view.uidValidity}] UIDs valid`, `OK [UIDNEXT ${view.uidNext()}] Predicted next UID`);
  if (ctx.enabled.has('CONDSTORE')) lines.push(`OK [HIGHESTMODSEQ ${view.highestModseq()}] Highest`);
  for (const line of lines) await ctx.untagged(line);
  return view.readOnly
    ? { status: 'OK', code: 'READ-ONLY', text: 'Examine completed.' }
    : { status: 'OK', code: 'READ-WRITE', text: 'Select completed.' };
}
