/** CLOSE (RFC 3501 6.4.2): expunge silently (unless read-only), then deselect. */
import { isStorageError } from '../../../core/storage/errors.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const close: CommandHandler<'CLOSE'> = {
  name: 'CLOSE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    const view = ctx.view!;
    if (!view.readOnly) {
      try {
        await view.expunge();
      } catch (err) {
        // RFC 4314 4: CLOSE without the `e` right deselects without expunging, and succeeds.
        if (!isStorageError(err, 'NO_PERMISSION')) throw err;
      }
    }
    await ctx.deselect();
    return ok('Close completed.');
  },
};
