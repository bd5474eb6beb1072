/** EXAMINE (RFC 3501 6.3.2): SELECT, read-only. */
import { selectMailbox } from '../select-flow.ts';
import { NEVER_SEQ, type CommandHandler } from '../types.ts';

export const examine: CommandHandler<'EXAMINE'> = {
  name: 'EXAMINE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  run: (ctx, cmd) => selectMailbox(ctx, cmd.mailbox, true, cmd.condstore, cmd.qresync),
};
