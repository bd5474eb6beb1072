/** MAIL FROM (RFC 5321 section 4.1.1.2) with SIZE= (RFC 1870) and BODY= (RFC 6152). */
import { Transaction } from '../transaction.ts';
import { parsePathArgument, safeText } from '../wire/address.ts';
import type { LmtpCommand } from './types.ts';

export const mail: LmtpCommand = {
  verb: 'MAIL',
  async run(ctx, args) {
    if (!ctx.lhloDone) return ctx.reply('503 5.5.1 Send LHLO first');
    if (ctx.tx) return ctx.reply('503 5.5.1 MAIL already given');
    const parsed = parsePathArgument(args, 'FROM', true);
    if (!parsed.ok) {
      if (parsed.problem === 'non-ascii') return ctx.reply('553 5.6.7 Non-ASCII address requires SMTPUTF8');
      if (parsed.problem === 'address') return ctx.reply('501 5.1.7 Invalid sender address');
      return ctx.reply('501 5.5.4 Syntax: MAIL FROM:<address> [parameters]');
    }
    let size: number | null = null;
    for (const [key, value] of parsed.params) {
      if (key === 'SIZE') {
        if (value === null || !/^[0-9]+$/.test(value)) return ctx.reply('501 5.5.4 Invalid SIZE parameter');
        // Any digit string longer than the limit's own is over it; no precision games with huge numbers.
        size = value.length > 15 ? Number.MAX_SAFE_INTEGER : Number(value);
        if (size > ctx.server.config.limits.messageSize) {
          return ctx.reply('552 5.3.4 Message size exceeds fixed maximum message size');
        }
      } else if (key === 'BODY') {
        const body = value?.toUpperCase();
        if (body !== '7BIT' && body !== '8BITMIME') return ctx.reply('501 5.5.4 Unsupported BODY parameter');
      } else {
        return ctx.reply(`555 5.5.4 Unsupported parameter: ${safeText(key, 20)}`);
      }
    }
    ctx.tx = new Transaction(parsed.mailbox.text, size);
    await ctx.reply('250 2.1.0 OK');
  },
};
