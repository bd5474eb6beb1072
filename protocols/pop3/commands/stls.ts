/** STLS (RFC 2595 section 4). Bytes pipelined after the command are dropped before the handshake. */
import type { Pop3Command } from './types.ts';

export const stls: Pop3Command = {
  name: 'STLS',
  states: ['AUTHORIZATION'],
  async run(ctx) {
    if (ctx.transport.secure) return ctx.reply('-ERR TLS is already active.');
    if (!ctx.transport.tlsAvailable) return ctx.reply('-ERR TLS support is not enabled.');
    await ctx.reply('+OK Begin TLS negotiation now.');
    ctx.discardInput();
    ctx.pendingUser = null;
    try {
      await ctx.transport.startTls();
    } catch {
      // A failed handshake leaves nothing usable to talk over.
      await ctx.close();
    }
  },
};
