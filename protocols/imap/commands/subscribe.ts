/** SUBSCRIBE (RFC 3501 6.3.6). */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const subscribe: CommandHandler<'SUBSCRIBE'> = {
  name: 'SUBSCRIBE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    await ctx.mail!.setSubscribed(cmd.mailbox, true);
    return ok('Subscribe completed.');
  },
};
