/**
 * SORT and UID SORT (RFC 5256 section 3, RFC 5957 display keys, I18NLEVEL=1 comparisons).
 * With RETURN (ESORT, RFC 5267) the answer is `* ESEARCH (TAG "t") [UID] MIN MAX ALL COUNT`:
 * MIN and MAX are the first and last message in sort order, ALL keeps the sort order (only
 * ascending runs are written as ranges). RETURN (SAVE) stores the result for `$` (RFC 5182).
 * A MODSEQ criterion adds the highest MODSEQ of the result (RFC 7162 3.1.5, sort-data).
 */
import { sortMessages, sortNeedsHeaders } from '../../../core/search/sort.ts';
import { applyResultOptions, esearchLine } from '../esearch.ts';
import { saveResult } from '../search-res.ts';
import { gatherFacts } from '../sort-flow.ts';
import { charsetConflict } from '../rev2.ts';
import { bad, ok, type CommandHandler } from '../types.ts';
import { usesModseq } from './search.ts';

export const sort: CommandHandler<'SORT'> = {
  name: 'SORT',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'SORT' && !cmd.uid },
  async run(ctx, cmd, tag) {
    const view = ctx.view!;
    const saving = cmd.returnOptions?.includes('SAVE') ?? false;
    const conflict = charsetConflict(ctx, cmd.charset);
    if (conflict) {
      if (saving) saveResult(view, []); // RFC 5182: a failed command with SAVE empties $
      return bad(conflict);
    }
    let seqs: number[];
    try {
      const facts = await gatherFacts(view, cmd.search, sortNeedsHeaders(cmd.criteria));
      seqs = sortMessages(facts, cmd.criteria);
    } catch (err) {
      if (saving) saveResult(view, []); // RFC 5182 2.1: a failed SAVE empties `$`
      throw err;
    }
    const modseq = usesModseq(cmd.search);
    if (modseq) ctx.enabled.add('CONDSTORE'); // RFC 7162 3.1: a MODSEQ search enables CONDSTORE
    const ids = cmd.uid ? seqs.map((s) => view.uidAt(s)) : seqs;
    if (cmd.returnOptions === null) {
      let line = ids.length > 0 ? `SORT ${ids.join(' ')}` : 'SORT';
      if (modseq && seqs.length > 0) {
        let highest = 0;
        for (const s of seqs) highest = Math.max(highest, view.meta(s).modseq);
        line += ` (MODSEQ ${highest})`;
      }
      await ctx.untagged(line);
      return ok('Sort completed.');
    }
    const outcome = applyResultOptions(cmd.returnOptions, ids, modseq ? (i) => view.meta(seqs[i]!).modseq : null);
    if (outcome.saved) saveResult(view, outcome.saved.map((i) => view.uidAt(seqs[i]!)));
    if (outcome.items) await ctx.untagged(esearchLine(tag, cmd.uid, outcome.items));
    return ok('Sort completed.');
  },
};
