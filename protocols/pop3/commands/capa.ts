/** CAPA (RFC 2449): only what this server really does, and only what is usable right now. */
import { multilineLines } from '../wire/message-text.ts';
import { POP3_SASL_MECHANISMS } from './auth.ts';
import type { Pop3Command } from './types.ts';

export const capa: Pop3Command = {
  name: 'CAPA',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  async run(ctx) {
    const lines = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE'];
    if (ctx.state === 'AUTHORIZATION') {
      // RFC 2595 section 6: mechanisms refused on this connection are not advertised.
      if (ctx.plaintextAllowed()) lines.push('USER', `SASL ${POP3_SASL_MECHANISMS.join(' ')}`);
      if (ctx.transport.tlsAvailable && !ctx.transport.secure) lines.push('STLS');
    }
    lines.push('IMPLEMENTATION Columba');
    await ctx.write('+OK Capability list follows\r\n' + multilineLines(lines));
  },
};
