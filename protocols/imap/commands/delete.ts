/** DELETE (RFC 3501 6.3.4). Deleting the selected mailbox deselects it first. */
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

export const deleteMailbox: CommandHandler<'DELETE'> = {
  name: 'DELETE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    if (cmd.mailbox.toUpperCase() === 'INBOX') return no('INBOX cannot be deleted.', 'CANNOT');
    if (ctx.view && ctx.view.name === cmd.mailbox) {
      // The client must learn it is no longer selected (RFC 9051 CLOSED response code).
      await ctx.deselect();
      await ctx.untagged('OK [CLOSED] Selected mailbox is being deleted.');
    }
    await ctx.mail!.deleteMailbox(cmd.mailbox);
    return ok('Delete completed.');
  },
};
