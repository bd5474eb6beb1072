/** RENAME (RFC 3501 6.3.5); renaming INBOX moves its messages (the store does that). */
import { HIERARCHY_DELIMITER } from '../../../core/storage/mail-store.ts';
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

export const rename: CommandHandler<'RENAME'> = {
  name: 'RENAME',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    let to = cmd.to;
    while (to.endsWith(HIERARCHY_DELIMITER)) to = to.slice(0, -1);
    if (to === '') return no('Invalid mailbox name.', 'CANNOT');
    if (to.toUpperCase() === 'INBOX') return no('Mailbox already exists', 'ALREADYEXISTS');
    await ctx.mail!.renameMailbox(cmd.from, to);
    return ok('Rename completed.');
  },
};
