/**
 * CANCELUPDATE (RFC 5267 4.3.5): stop ADDTO/REMOVEFROM for the searches with the given tags.
 * A tag that names no live context is a client error (BAD), and then nothing is cancelled.
 */
import { cancelContext, hasContext } from '../search-context.ts';
import { NEVER_SEQ, bad, ok, type CommandHandler } from '../types.ts';

export const cancelUpdate: CommandHandler<'CANCELUPDATE'> = {
  name: 'CANCELUPDATE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const unknown = cmd.tags.find((t) => !hasContext(view, t));
    if (unknown !== undefined) return bad('No search context with that tag');
    for (const t of cmd.tags) cancelContext(view, t);
    return ok('No further updates.');
  },
};
