/** CAPABILITY (RFC 3501 6.1.1): the list depends on the state and the connection. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const capability: CommandHandler<'CAPABILITY'> = {
  name: 'CAPABILITY',
  states: ['not-authenticated', 'authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    await ctx.untagged(`CAPABILITY ${ctx.capabilities().join(' ')}`);
    return ok('Capability completed.');
  },
};
