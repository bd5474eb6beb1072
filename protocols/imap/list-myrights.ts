/**
 * LIST-MYRIGHTS (RFC 8440): `LIST ... RETURN (MYRIGHTS)` adds `* MYRIGHTS mailbox rights`
 * after the LIST line of each selectable mailbox (not for \Noselect levels).
 */
import { astring, mailboxChunks } from './encode.ts';
import { utf8Names } from './rev2.ts';
import type { ImapContext } from './types.ts';

export async function listMyRights(ctx: ImapContext, name: string): Promise<void> {
  const mail = ctx.mail!;
  if (!mail.myRights) return;
  let rights: string;
  try {
    rights = await mail.myRights(name);
  } catch (err) {
    // Gone meanwhile (another session deleted it): its LIST line stands alone.
    ctx.log.debug({ err, mailbox: name }, 'imap: LIST-MYRIGHTS skipped a mailbox');
    return;
  }
  await ctx.untagged('MYRIGHTS ', ...mailboxChunks(name, utf8Names(ctx)), ' ', ...astring(rights));
}
