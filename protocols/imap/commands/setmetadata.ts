/**
 * SETMETADATA (RFC 5464 4.3): set or (NIL) remove entries, all or none. Over the value size
 * limit: `NO [METADATA MAXSIZE n]`; over the entry count: `NO [METADATA TOOMANY]`. Server
 * /shared entries are the administrator's, so a user may only set server /private ones.
 */
import { isStorageError } from '../../../core/storage/errors.ts';
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

export const setMetadata: CommandHandler<'SETMETADATA'> = {
  name: 'SETMETADATA',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const mail = ctx.mail!;
    if (!mail.setMetadata) return no('METADATA is not available.', 'UNAVAILABLE');
    const server = cmd.mailbox === '';
    if (server && cmd.changes.some((c) => c.entry.startsWith('/shared'))) {
      return no('Server /shared entries are set by the administrator.', 'NOPERM');
    }
    const limit = ctx.config.limits.metadataValueSize;
    if (cmd.changes.some((c) => c.value !== null && c.value.length > limit)) return no('Entry value too large.', `METADATA MAXSIZE ${limit}`);
    try {
      await mail.setMetadata(server ? null : cmd.mailbox, cmd.changes);
    } catch (err) {
      if (isStorageError(err, 'TOO_BIG')) return no('Entry value too large.', `METADATA MAXSIZE ${limit}`);
      if (isStorageError(err, 'LIMIT')) return no('Too many entries.', 'METADATA TOOMANY');
      throw err;
    }
    return ok('Setmetadata completed.');
  },
};
