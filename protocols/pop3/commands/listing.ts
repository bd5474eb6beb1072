/** STAT, LIST and UIDL (RFC 1939 section 5, section 7): sizes are what RETR sends, CRLF included. */
import { multilineLines } from '../wire/message-text.ts';
import type { Maildrop } from '../maildrop.ts';
import type { Pop3Command, Pop3Context } from './types.ts';

function maildropOf(ctx: Pop3Context): Maildrop {
  if (!ctx.maildrop) throw new Error('TRANSACTION state without a maildrop');
  return ctx.maildrop;
}

export const stat: Pop3Command = {
  name: 'STAT',
  states: ['TRANSACTION'],
  async run(ctx) {
    const { count, size } = maildropOf(ctx).stat();
    await ctx.reply(`+OK ${count} ${size}`);
  },
};

export const list: Pop3Command = {
  name: 'LIST',
  states: ['TRANSACTION'],
  async run(ctx, args) {
    const maildrop = maildropOf(ctx);
    if (args.length > 1) return ctx.reply('-ERR Too many arguments.');
    if (args.length === 1) {
      const found = maildrop.lookup(args[0]);
      if (!found.ok) return ctx.reply(found.reply);
      return ctx.reply(`+OK ${found.entry.number} ${found.entry.size}`);
    }
    const live = maildrop.live();
    await ctx.write(`+OK ${live.length} messages:\r\n` + multilineLines(live.map((e) => `${e.number} ${e.size}`)));
  },
};

export const uidl: Pop3Command = {
  name: 'UIDL',
  states: ['TRANSACTION'],
  async run(ctx, args) {
    const maildrop = maildropOf(ctx);
    if (args.length > 1) return ctx.reply('-ERR Too many arguments.');
    if (args.length === 1) {
      const found = maildrop.lookup(args[0]);
      if (!found.ok) return ctx.reply(found.reply);
      return ctx.reply(`+OK ${found.entry.number} ${found.entry.uidl}`);
    }
    await ctx.write('+OK\r\n' + multilineLines(maildrop.live().map((e) => `${e.number} ${e.uidl}`)));
  },
};

export { maildropOf };
