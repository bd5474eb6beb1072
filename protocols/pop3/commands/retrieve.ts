/** RETR and TOP (RFC 1939): dot-stuffed multi-line bodies read from the mailbox view. */
import { pop3ReplyForError } from '../storage-errors.ts';
import { multilineBody, topOfMessage } from '../wire/message-text.ts';
import type { MaildropEntry } from '../maildrop.ts';
import type { Pop3Command, Pop3Context } from './types.ts';
import { maildropOf } from './listing.ts';

async function readOrReply(ctx: Pop3Context, entry: MaildropEntry, where: string): Promise<Buffer | null> {
  try {
    return await maildropOf(ctx).read(entry);
  } catch (err) {
    const failure = pop3ReplyForError(err);
    if (failure.unexpected) ctx.bug(where, err);
    await ctx.reply(failure.reply);
    return null;
  }
}

export const retr: Pop3Command = {
  name: 'RETR',
  states: ['TRANSACTION'],
  async run(ctx, args) {
    if (args.length > 1) return ctx.reply('-ERR Too many arguments.');
    const found = maildropOf(ctx).lookup(args[0]);
    if (!found.ok) return ctx.reply(found.reply);
    const raw = await readOrReply(ctx, found.entry, 'pop3 RETR');
    if (!raw) return;
    maildropOf(ctx).markRetrieved(found.entry);
    await ctx.write(Buffer.concat([Buffer.from(`+OK ${found.entry.size} octets\r\n`), multilineBody(raw)]));
  },
};

export const top: Pop3Command = {
  name: 'TOP',
  states: ['TRANSACTION'],
  async run(ctx, args) {
    if (args.length !== 2) return ctx.reply('-ERR TOP needs a message number and a line count.');
    const found = maildropOf(ctx).lookup(args[0]);
    if (!found.ok) return ctx.reply(found.reply);
    const lines = args[1]!;
    if (!/^[0-9]{1,10}$/.test(lines)) return ctx.reply('-ERR Invalid number of lines.');
    const raw = await readOrReply(ctx, found.entry, 'pop3 TOP');
    if (!raw) return;
    await ctx.write(Buffer.concat([Buffer.from('+OK\r\n'), multilineBody(topOfMessage(raw, Number(lines)))]));
  },
};
