/**
 * SEARCH and UID SEARCH (RFC 3501 6.4.4) with ESEARCH result options (RFC 4731), SEARCHRES
 * (RFC 5182: RETURN (SAVE) and `$` in the criteria), CONTEXT=SEARCH (RFC 5267: UPDATE, PARTIAL,
 * CONTEXT) and the MODSEQ result of RFC 7162 3.1.5.
 * Without RETURN the answer is the plain `* SEARCH`, except under IMAP4rev2 (RFC 9051), where
 * only ESEARCH exists and a bare SEARCH means RETURN (ALL).
 */
import type { SearchKey } from '../../../core/search/criteria.ts';
import { applyResultOptions, esearchLine } from '../esearch.ts';
import { searchView } from '../search-flow.ts';
import { MAX_CONTEXTS, addContext, contextCount, freezeSeqKeys, hasContext } from '../search-context.ts';
import { saveResult, substituteSaved } from '../search-res.ts';
import { bad, no, ok, type CommandHandler, type Completion } from '../types.ts';

const CHARSETS = new Set(['US-ASCII', 'UTF-8']);

/** True when the criteria contain a MODSEQ key anywhere (then the result carries MODSEQ). */
export function usesModseq(key: SearchKey): boolean {
  switch (key.type) {
    case 'modseq':
      return true;
    case 'not':
      return usesModseq(key.key);
    case 'or':
      return usesModseq(key.left) || usesModseq(key.right);
    case 'and':
      return key.keys.some(usesModseq);
    default:
      return false;
  }
}

export const search: CommandHandler<'SEARCH'> = {
  name: 'SEARCH',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'SEARCH' && !cmd.uid },
  async run(ctx, cmd, tag) {
    const view = ctx.view!;
    const saving = cmd.returnOptions?.includes('SAVE') ?? false;
    // RFC 5182 2.1: a SEARCH with SAVE that fails leaves `$` empty.
    const fail = (c: Completion): Completion => {
      if (saving) saveResult(view, []);
      return c;
    };
    if (cmd.failure) return fail({ status: cmd.failure.response, code: cmd.failure.code ?? undefined, text: cmd.failure.text });
    // RFC 6855 3 (erratum 4029): a charset label conflicts with UTF8=ACCEPT.
    if (cmd.charset !== null && ctx.enabled.has('UTF8=ACCEPT')) {
      return fail({ status: 'BAD', text: 'SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT.' });
    }
    if (cmd.charset !== null && !CHARSETS.has(cmd.charset.toUpperCase())) {
      return fail(no('Unsupported charset.', 'BADCHARSET (UTF-8 US-ASCII)'));
    }
    const updating = cmd.returnOptions?.includes('UPDATE') ?? false;
    // RFC 5267 4.3: a tag already naming a live context cannot start another.
    if (updating && hasContext(view, tag)) return fail(bad('Tag reuse'));
    const key = substituteSaved(cmd.criteria, view);
    let seqs: number[];
    try {
      seqs = await searchView(view, key);
    } catch (err) {
      if (saving) saveResult(view, []);
      throw err;
    }
    const modseq = usesModseq(cmd.criteria);
    if (modseq) ctx.enabled.add('CONDSTORE'); // a MODSEQ search enables CONDSTORE (RFC 7162 3.1)
    const numbers = cmd.uid ? seqs.map((s) => view.uidAt(s)) : seqs;

    let options = cmd.returnOptions;
    if (options === null && ctx.enabled.has('IMAP4REV2')) options = ['ALL'];
    if (options === null) {
      let line = numbers.length > 0 ? `SEARCH ${numbers.join(' ')}` : 'SEARCH';
      if (modseq && seqs.length > 0) line += ` (MODSEQ ${highestModseq(view, seqs)})`;
      await ctx.untagged(line);
      return ok('Search completed.');
    }
    const outcome = applyResultOptions(options, numbers, modseq ? (i) => view.meta(seqs[i]!).modseq : null, cmd.partial);
    if (outcome.saved) saveResult(view, outcome.saved.map((i) => view.uidAt(seqs[i]!)));
    if (outcome.items) await ctx.untagged(esearchLine(tag, cmd.uid, outcome.items));
    if (!updating) return ok('Search completed.');
    if (contextCount(view) >= MAX_CONTEXTS) {
      await ctx.untagged(`NO [NOUPDATE "${tag}"] Too many contexts`);
      return ok('Search completed, will not notify.');
    }
    addContext(view, tag, cmd.uid, freezeSeqKeys(key, view), seqs);
    return ok('Search completed, will notify.');
  },
};

function highestModseq(view: { meta(seq: number): { modseq: number } }, seqs: readonly number[]): number {
  let max = 0;
  for (const s of seqs) max = Math.max(max, view.meta(s).modseq);
  return max;
}
