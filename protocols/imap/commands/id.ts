/** ID (RFC 2971): remember what the client says (for logs), tell who we are. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const id: CommandHandler<'ID'> = {
  name: 'ID',
  states: ['not-authenticated', 'authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    if (cmd.params) {
      ctx.clientId = cmd.params;
      ctx.log.info({ clientId: cmd.params }, 'imap: client ID');
    }
    await ctx.untagged('ID ("name" "Columba")');
    return ok('ID completed.');
  },
};
