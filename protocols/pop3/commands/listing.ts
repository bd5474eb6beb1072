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

type Entry = ReturnType<Maildrop['live']>[number];

/**
 * LIST and UIDL share their shape: with an argument, one `+OK n value` line; without, a
 * multi-line listing of every message not marked deleted.
 */
function listing(name: string, firstLine: (count: number) => string, value: (e: Entry) => string | number): Pop3Command {
  return {
    name,
    states: ['TRANSACTION'],
    async run(ctx, args) {
      const maildrop = maildropOf(ctx);
      if (args.length > 1) return ctx.reply('-ERR Too many arguments.');
      if (args.length === 1) {
        const found = maildrop.lookup(args[0]);
        if (!found.ok) return ctx.reply(found.reply);
        return ctx.reply(`+OK ${found.entry.number} ${value(found.entry)}`);
      }
      const live = maildrop.live();
      await ctx.write(`${firstLine(live.length)}\r\n` + multilineLines(live.map((e) => `${e.number} ${value(e)}`)));
    },
  };
}

export const list = listing('LIST', (n) => `+OK ${n} messages:`, (e) => e.size);
export const uidl = listing('UIDL', () => '+OK', (e) => e.uidl);

export { maildropOf };
