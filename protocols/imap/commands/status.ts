/** STATUS (RFC 3501 6.3.10). */
import { mailboxChunks } from '../encode.ts';
import { utf8Names } from '../rev2.ts';
import { statusExtras } from '../status-extra.ts';
import { statusAttributes } from '../status-items.ts';
import { canonicalInbox } from '../mailbox-tree.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const status: CommandHandler<'STATUS'> = {
  name: 'STATUS',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    let st = await ctx.mail!.status(cmd.mailbox);
    // RFC 7162 3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command.
    if (cmd.items.includes('HIGHESTMODSEQ')) ctx.enabled.add('CONDSTORE');
    // The selected mailbox's \Recent messages belong to this session: count them here too, so
    // RECENT agrees with SELECT's RECENT, FETCH FLAGS and SEARCH RECENT.
    if (ctx.view && ctx.view.name === canonicalInbox(cmd.mailbox)) st = { ...st, recent: st.recent + ctx.view.recentCount() };
    const extra = await statusExtras(ctx.mail!, cmd.mailbox, cmd.items);
    await ctx.untagged('STATUS ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), ' ', statusAttributes(st, cmd.items, { ...extra, appendLimit: ctx.config.limits.messageSize }));
    return ok('Status completed.');
  },
};
