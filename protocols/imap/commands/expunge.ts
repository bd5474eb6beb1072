/** EXPUNGE (RFC 3501 6.4.3); the EXPUNGE responses come from the dispatcher's sync. */
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

export const expunge: CommandHandler<'EXPUNGE'> = {
  name: 'EXPUNGE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    if (ctx.view!.readOnly) return no('Mailbox is read-only.', 'READ-ONLY');
    await ctx.view!.expunge();
    return ok('Expunge completed.');
  },
};
