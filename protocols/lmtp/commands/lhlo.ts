/** LHLO (RFC 2033 section 4.1) and the SMTP greetings LMTP must refuse. */
import type { LmtpCommand } from './types.ts';

export const lhlo: LmtpCommand = {
  verb: 'LHLO',
  async run(ctx, args) {
    if (args.trim() === '') return ctx.reply('501 5.5.4 Missing domain');
    // LHLO starts over, like EHLO (RFC 5321 section 4.1.4).
    await ctx.resetTransaction();
    ctx.lhloDone = true;
    await ctx.reply(
      `250-${ctx.server.hostname}`,
      '250-PIPELINING',
      '250-ENHANCEDSTATUSCODES',
      '250-8BITMIME',
      '250-CHUNKING',
      `250 SIZE ${ctx.server.config.limits.messageSize}`,
    );
  },
};

const refuseSmtpGreeting = (verb: string): LmtpCommand => ({
  verb,
  async run(ctx) {
    await ctx.reply('500 5.5.1 LMTP requires LHLO');
  },
});

export const helo = refuseSmtpGreeting('HELO');
export const ehlo = refuseSmtpGreeting('EHLO');
