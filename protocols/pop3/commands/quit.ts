/** QUIT (RFC 1939 sections 5 and 6): in TRANSACTION it enters UPDATE and commits the maildrop. */
import { pop3ReplyForError } from '../storage-errors.ts';
import type { Pop3Command } from './types.ts';

export const quit: Pop3Command = {
  name: 'QUIT',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  async run(ctx) {
    const maildrop = ctx.maildrop;
    if (ctx.state !== 'TRANSACTION' || !maildrop) {
      await ctx.reply('+OK Logging out.');
      return ctx.close();
    }
    ctx.state = 'UPDATE';
    let reply = '+OK Logging out.';
    try {
      await maildrop.commit();
    } catch (err) {
      const failure = pop3ReplyForError(err);
      if (failure.unexpected) ctx.bug('pop3 QUIT commit', err);
      reply = failure.reply;
    }
    ctx.maildrop = null;
    await maildrop.dispose();
    await ctx.reply(reply);
    await ctx.close();
  },
};
