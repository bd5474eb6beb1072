/**
 * SETQUOTA (RFC 9208 4.1): limits come from the server configuration, which no user may change
 * over IMAP (there is no admin right yet), so a well-formed SETQUOTA is refused with NOPERM;
 * a malformed one is BAD from the parser.
 */
import { NEVER_SEQ, no, type CommandHandler } from '../types.ts';

export const setQuota: CommandHandler<'SETQUOTA'> = {
  name: 'SETQUOTA',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run() {
    return no('Quota limits are set by the administrator.', 'NOPERM');
  },
};
