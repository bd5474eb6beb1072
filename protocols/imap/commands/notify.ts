/**
 * NOTIFY (RFC 5465): `NOTIFY NONE` turns notifications off; `NOTIFY SET [STATUS] groups`
 * replaces the whole set (see protocols/imap/notify.ts for what is reported and when).
 */
import { compileNotify, initialStatusLines, setNotify } from '../notify.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const notify: CommandHandler<'NOTIFY'> = {
  name: 'NOTIFY',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    if (cmd.set === null) {
      setNotify(ctx, null);
      return ok('NOTIFY completed.');
    }
    const groups = compileNotify(cmd.set);
    if (!Array.isArray(groups)) return groups;
    setNotify(ctx, groups);
    if (cmd.set.status) for (const line of await initialStatusLines(ctx)) await ctx.untagged(line);
    return ok('NOTIFY completed.');
  },
};
