/** SEARCH and UID SEARCH (RFC 3501 6.4.4): plain `* SEARCH` results, no ESEARCH. */
import { searchView } from '../search-flow.ts';
import { no, ok, type CommandHandler } from '../types.ts';

const CHARSETS = new Set(['US-ASCII', 'UTF-8']);

export const search: CommandHandler<'SEARCH'> = {
  name: 'SEARCH',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'SEARCH' && !cmd.uid },
  async run(ctx, cmd) {
    if (cmd.charset !== null && !CHARSETS.has(cmd.charset.toUpperCase())) {
      return no('Unsupported charset.', 'BADCHARSET (US-ASCII UTF-8)');
    }
    const view = ctx.view!;
    const seqs = await searchView(view, cmd.criteria);
    const out = cmd.uid ? seqs.map((s) => view.uidAt(s)) : seqs;
    await ctx.untagged(out.length > 0 ? `SEARCH ${out.join(' ')}` : 'SEARCH');
    return ok('Search completed.');
  },
};
