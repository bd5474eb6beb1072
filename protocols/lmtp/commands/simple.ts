/** RSET, NOOP, QUIT and VRFY (RFC 5321 section 4.1.1). */
import type { LmtpCommand } from './types.ts';

export const rset: LmtpCommand = {
  verb: 'RSET',
  async run(ctx) {
    await ctx.resetTransaction();
    await ctx.reply('250 2.0.0 OK');
  },
};

export const noop: LmtpCommand = {
  verb: 'NOOP',
  async run(ctx) {
    await ctx.reply('250 2.0.0 OK');
  },
};

export const quit: LmtpCommand = {
  verb: 'QUIT',
  async run(ctx) {
    await ctx.resetTransaction();
    await ctx.reply('221 2.0.0 Bye');
    await ctx.close();
  },
};

/** VRFY would let anyone enumerate users; RFC 5321 section 3.5.3 allows this non-answer. */
export const vrfy: LmtpCommand = {
  verb: 'VRFY',
  async run(ctx) {
    await ctx.reply('252 2.5.0 Cannot verify user, but will accept message and attempt delivery');
  },
};
