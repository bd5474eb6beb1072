/** LSUB (RFC 3501 6.3.9): subscribed names; a `%` level above them is shown as \Noselect. */
import { HIERARCHY_DELIMITER } from '../../../core/storage/mail-store.ts';
import { mailboxChunks } from '../encode.ts';
import { utf8Names } from '../rev2.ts';
import { matchEntries, patternMatcher } from '../mailbox-tree.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const lsub: CommandHandler<'LSUB'> = {
  name: 'LSUB',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const d = HIERARCHY_DELIMITER;
    if (cmd.pattern === '') {
      await ctx.untagged(`LSUB (\\Noselect) "${d}" ""`);
      return ok('Lsub completed.');
    }
    const boxes = (await ctx.mail!.listMailboxes()).filter((b) => b.subscribed);
    const entries = matchEntries(boxes, [patternMatcher(cmd.reference, cmd.pattern)], cmd.pattern.includes('%'));
    for (const e of entries) {
      const attrs = e.implied || e.info?.noSelect ? '\\Noselect' : '';
      await ctx.untagged(`LSUB (${attrs}) "${d}" `, ...mailboxChunks(e.name, utf8Names(ctx)));
    }
    return ok('Lsub completed.');
  },
};
