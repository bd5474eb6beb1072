/** LOGOUT (RFC 3501 6.1.3): `* BYE` first, then the tagged OK, then the connection closes. */
import { NEVER_SEQ, type CommandHandler } from '../types.ts';

export const logout: CommandHandler<'LOGOUT'> = {
  name: 'LOGOUT',
  states: ['not-authenticated', 'authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx) {
    await ctx.untagged('BYE Logging out');
    return { status: 'OK', text: 'Logout completed.', after: () => ctx.closeConnection() };
  },
};
