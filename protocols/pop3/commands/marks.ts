/** DELE, RSET and NOOP (RFC 1939 section 5): marks only; QUIT commits. */
import type { Pop3Command } from './types.ts';
import { maildropOf } from './listing.ts';

export const dele: Pop3Command = {
  name: 'DELE',
  states: ['TRANSACTION'],
  async run(ctx, args) {
    if (args.length > 1) return ctx.reply('-ERR Too many arguments.');
    const maildrop = maildropOf(ctx);
    const found = maildrop.lookup(args[0]);
    if (!found.ok) return ctx.reply(found.reply);
    maildrop.markDeleted(found.entry);
    await ctx.reply('+OK Marked to be deleted.');
  },
};

export const rset: Pop3Command = {
  name: 'RSET',
  states: ['TRANSACTION'],
  async run(ctx) {
    const maildrop = maildropOf(ctx);
    maildrop.reset();
    const { count, size } = maildrop.stat();
    await ctx.reply(`+OK ${count} messages (${size} octets).`);
  },
};

export const noop: Pop3Command = {
  name: 'NOOP',
  states: ['TRANSACTION'],
  async run(ctx) {
    await ctx.reply('+OK');
  },
};
