/** CHECK (RFC 3501 6.4.1): changes are already journaled; acts like NOOP. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const check: CommandHandler<'CHECK'> = {
  name: 'CHECK',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run() {
    return ok('Check completed.');
  },
};
