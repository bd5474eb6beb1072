/** RCPT TO (RFC 2033 section 4.2): the user must exist and have room; its store stays open. */
import { findUser, wouldExceedQuota } from '../recipient.ts';
import { lmtpReplyForError } from '../storage-errors.ts';
import { parsePathArgument, safeText } from '../wire/address.ts';
import type { LmtpCommand } from './types.ts';

export const rcpt: LmtpCommand = {
  verb: 'RCPT',
  async run(ctx, args) {
    const tx = ctx.tx;
    if (!tx) return ctx.reply('503 5.5.1 MAIL needed first');
    if (tx.usedBdat) return ctx.reply('503 5.5.1 RCPT not allowed after BDAT');
    const parsed = parsePathArgument(args, 'TO', false);
    if (!parsed.ok) {
      if (parsed.problem === 'non-ascii') return ctx.reply('553 5.6.7 Non-ASCII address requires SMTPUTF8');
      if (parsed.problem === 'address') return ctx.reply('501 5.1.3 Invalid recipient address');
      return ctx.reply('501 5.5.4 Syntax: RCPT TO:<address>');
    }
    const first = parsed.params[0];
    if (first) return ctx.reply(`555 5.5.4 Unsupported parameter: ${safeText(first[0], 20)}`);
    if (tx.recipients.length >= ctx.server.config.limits.lmtpRecipients) return ctx.reply('452 4.5.3 Too many recipients');
    const address = parsed.mailbox.text;
    let user: string | null;
    try {
      user = await findUser(ctx.server.auth, parsed.mailbox);
    } catch (err) {
      ctx.bug('lmtp RCPT lookup', err);
      return ctx.reply(`451 4.3.0 <${address}> Temporary user lookup failure`);
    }
    if (!user) return ctx.reply(`550 5.1.1 <${address}> User doesn't exist`);
    let store;
    try {
      store = await ctx.stores.acquire(user);
    } catch (err) {
      const failure = lmtpReplyForError(err, address);
      if (failure.unexpected) ctx.bug('lmtp RCPT open', err);
      return ctx.reply(failure.reply);
    }
    // The transaction may have ended (RSET, drop) while we waited: do not leak the store.
    if (ctx.tx !== tx || ctx.closed) return void (await store.release());
    try {
      if (await wouldExceedQuota(store, ctx.server.config, tx.declaredSize)) {
        await store.release();
        return ctx.reply(`552 5.2.2 <${address}> Mailbox is full`);
      }
    } catch (err) {
      await store.release().catch(() => undefined);
      const failure = lmtpReplyForError(err, address);
      if (failure.unexpected) ctx.bug('lmtp RCPT quota', err);
      return ctx.reply(failure.reply);
    }
    if (ctx.tx !== tx || ctx.closed) return void (await store.release());
    tx.recipients.push({ address, user, store });
    await ctx.reply('250 2.1.5 OK');
  },
};
