/** CLOSE (RFC 3501 6.4.2): expunge silently (unless read-only), then deselect. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const close: CommandHandler<'CLOSE'> = {
  name: 'CLOSE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    const view = ctx.view!;
    if (!view.readOnly) await view.expunge();
    await ctx.deselect();
    return ok('Close completed.');
  },
};
