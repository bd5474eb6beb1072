/**
 * SORT and UID SORT (RFC 5256 section 3, RFC 5957 display keys, I18NLEVEL=1 comparisons).
 * With RETURN (ESORT, RFC 5267) the answer is `* ESEARCH (TAG "t") [UID] MIN MAX ALL COUNT`
 * where MIN/MAX are the first/last message in sort order and ALL keeps the sort order.
 */
import { sortMessages, sortNeedsHeaders } from '../../../core/search/sort.ts';
import { gatherFacts, orderedSequenceSet } from '../sort-flow.ts';
import { ok, type CommandHandler } from '../types.ts';

function esortResponse(tag: string, uid: boolean, ids: readonly number[], options: readonly string[]): string {
  const want = new Set(options.length === 0 ? ['ALL'] : options);
  let out = `ESEARCH (TAG "${tag}")`;
  if (uid) out += ' UID';
  if (ids.length > 0) {
    if (want.has('MIN')) out += ` MIN ${ids[0]}`;
    if (want.has('MAX')) out += ` MAX ${ids[ids.length - 1]}`;
    if (want.has('ALL')) out += ` ALL ${orderedSequenceSet(ids)}`;
  }
  if (want.has('COUNT')) out += ` COUNT ${ids.length}`;
  return out;
}

export const sort: CommandHandler<'SORT'> = {
  name: 'SORT',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'SORT' && !cmd.uid },
  async run(ctx, cmd, tag) {
    const view = ctx.view!;
    const facts = await gatherFacts(view, cmd.search, sortNeedsHeaders(cmd.criteria));
    const seqs = sortMessages(facts, cmd.criteria);
    const ids = cmd.uid ? seqs.map((s) => view.uidAt(s)) : seqs;
    if (cmd.returnOptions !== null) {
      await ctx.untagged(esortResponse(tag, cmd.uid, ids, cmd.returnOptions));
    } else {
      await ctx.untagged(ids.length > 0 ? `SORT ${ids.join(' ')}` : 'SORT');
    }
    return ok('Sort completed.');
  },
};
