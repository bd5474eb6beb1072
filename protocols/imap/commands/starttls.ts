/**
 * STARTTLS (RFC 3501 6.2.1). The OK goes out in clear text, then the handshake; anything the
 * client pipelined after the command is thrown away (command injection, CVE-2011-0411 class).
 */
import { NEVER_SEQ, bad, type CommandHandler } from '../types.ts';

export const starttls: CommandHandler<'STARTTLS'> = {
  name: 'STARTTLS',
  states: ['not-authenticated'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx) {
    if (ctx.transport.secure) return bad('TLS is already active.');
    if (!ctx.transport.tlsAvailable) return bad('TLS support is not configured.');
    return {
      status: 'OK',
      text: 'Begin TLS negotiation now.',
      after: async () => {
        ctx.resetInput();
        // Data decrypted after the handshake may arrive before this resolves: no reset after.
        await ctx.transport.startTls();
      },
    };
  },
};
