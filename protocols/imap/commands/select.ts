/** SELECT (RFC 3501 6.3.1). */
import { selectMailbox } from '../select-flow.ts';
import { NEVER_SEQ, type CommandHandler } from '../types.ts';

export const select: CommandHandler<'SELECT'> = {
  name: 'SELECT',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  run: (ctx, cmd) => selectMailbox(ctx, cmd.mailbox, false, cmd.condstore, cmd.qresync),
};
