/** UNSUBSCRIBE (RFC 3501 6.3.7). */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const unsubscribe: CommandHandler<'UNSUBSCRIBE'> = {
  name: 'UNSUBSCRIBE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    await ctx.mail!.setSubscribed(cmd.mailbox, false);
    return ok('Unsubscribe completed.');
  },
};
