/** NOOP (RFC 3501 6.1.2): nothing but the updates the dispatcher reports after every command. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const noop: CommandHandler<'NOOP'> = {
  name: 'NOOP',
  states: ['not-authenticated', 'authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run() {
    return ok('NOOP completed.');
  },
};
