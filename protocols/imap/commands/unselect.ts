/** UNSELECT (RFC 3691): deselect without expunging. */
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const unselect: CommandHandler<'UNSELECT'> = {
  name: 'UNSELECT',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    await ctx.deselect();
    return ok('Unselect completed.');
  },
};
