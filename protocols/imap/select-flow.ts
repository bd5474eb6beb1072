/**
 * SELECT and EXAMINE (RFC 3501 6.3.1/6.3.2): close what was selected (a failed SELECT leaves
 * the session authenticated), open the view, and describe it.
 */
import { HIERARCHY_DELIMITER, type MailboxView } from '../../core/storage/mail-store.ts';
import { mailboxChunks } from './encode.ts';
import { mailboxIdItem } from './objectid.ts';
import { hideRecent, isRev2, utf8Names } from './rev2.ts';
import { flagsLines } from './updates.ts';
import { condstoreOn, qresyncOn, resyncLines } from './qresync.ts';
import type { QresyncParams } from './wire/parse-qresync.ts';
import type { Completion, ImapContext } from './types.ts';

/** One pass over the index: every keyword in use and the first message without \Seen. */
function scanMailbox(view: MailboxView): { keywords: string[]; firstUnseen: number } {
  const keywords = new Set<string>();
  let firstUnseen = 0;
  for (let seq = 1; seq <= view.count(); seq++) {
    const flags = view.meta(seq).flags;
    let seen = false;
    for (const f of flags) {
      if (f === '\\Seen') seen = true;
      else if (!f.startsWith('\\')) keywords.add(f);
    }
    if (!seen && firstUnseen === 0) firstUnseen = seq;
  }
  return { keywords: [...keywords], firstUnseen };
}

export async function selectMailbox(
  ctx: ImapContext,
  mailbox: string,
  readOnly: boolean,
  condstore: boolean,
  qresync?: QresyncParams,
): Promise<Completion> {
  if (!ctx.mail) return { status: 'BAD', text: 'Not logged in' };
  // RFC 7162 3.2.5: the QRESYNC parameter without ENABLE QRESYNC is a client error.
  if (qresync && !qresyncOn(ctx)) return { status: 'BAD', text: 'QRESYNC is not enabled' };
  const rev2 = isRev2(ctx);
  const wasSelected = ctx.view !== null;
  await ctx.deselect();
  // RFC 9051 6.3.1: closing the selected mailbox is announced with [CLOSED], before anything
  // about the new one (also when opening the new one fails).
  // RFC 7162 3.2.11: the same under QRESYNC.
  if ((rev2 || qresyncOn(ctx)) && wasSelected) await ctx.untagged('OK [CLOSED] Previous mailbox closed.');
  const view = await ctx.mail.openMailbox(mailbox, { readOnly });
  ctx.view = view;
  ctx.state = 'selected';
  if (condstore) ctx.enabled.add('CONDSTORE');
  if (rev2) hideRecent(view);

  const scan = scanMailbox(view);
  ctx.knownKeywords.clear();
  for (const k of scan.keywords) ctx.knownKeywords.add(k);
  const lines = flagsLines(ctx);
  if (rev2) {
    // RFC 9051 6.3.2: EXISTS and LIST are required; RECENT and [UNSEEN] are gone.
    lines.push(`${view.count()} EXISTS`);
    lines.push(listLine(view.name, utf8Names(ctx)));
  } else {
    lines.push(`${view.count()} EXISTS`, `${view.recentCount()} RECENT`);
    if (scan.firstUnseen > 0) lines.push(`OK [UNSEEN ${scan.firstUnseen}] First unseen.`);
  }
  lines.push(`OK [UIDVALIDITY ${view.uidValidity}] UIDs valid`, `OK [UIDNEXT ${view.uidNext()}] Predicted next UID`);
  // RFC 8474 4.2: SELECT and EXAMINE name the mailbox's MAILBOXID.
  lines.push(`OK [${mailboxIdItem(view.guid)}] Ok`);
  if (condstoreOn(ctx)) lines.push(`OK [HIGHESTMODSEQ ${view.highestModseq()}] Highest`);
  // RFC 7162 3.2.5.1: VANISHED (EARLIER) and the changed flags come after the usual responses.
  if (qresync) lines.push(...resyncLines(view, qresync));
  for (const line of lines) await ctx.untagged(line);
  return view.readOnly
    ? { status: 'OK', code: 'READ-ONLY', text: 'Examine completed.' }
    : { status: 'OK', code: 'READ-WRITE', text: 'Select completed.' };
}

/** The `LIST () "/" name` line of an IMAP4rev2 SELECT (no attributes needed). */
function listLine(name: string, utf8: boolean): string {
  const chunks = mailboxChunks(name, utf8);
  // Only a name with CR/LF/NUL needs a literal; such names cannot be created here.
  const text = chunks.length === 1 && typeof chunks[0] === 'string' ? chunks[0] : '"' + name.replace(/[\\"\r\n]/g, '') + '"';
  return `LIST () "${HIERARCHY_DELIMITER}" ${text}`;
}
