/** EXPUNGE (RFC 3501 6.4.3); the EXPUNGE responses come from the dispatcher's sync. */
import { qresyncOn } from '../qresync.ts';
import { NEVER_SEQ, no, ok, type CommandHandler, type ImapContext } from '../types.ts';

export const expunge: CommandHandler<'EXPUNGE'> = {
  name: 'EXPUNGE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    if (ctx.view!.readOnly) return no('Mailbox is read-only.', 'READ-ONLY');
    await ctx.view!.expunge();
    return ok('Expunge completed.', expungeCode(ctx));
  },
};

/** RFC 7162 3.2.10 example: under QRESYNC the tagged OK tells the new HIGHESTMODSEQ. */
export function expungeCode(ctx: ImapContext): string | undefined {
  return qresyncOn(ctx) && ctx.view ? `HIGHESTMODSEQ ${ctx.view.highestModseq()}` : undefined;
}
