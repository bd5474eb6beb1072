/**
 * FETCH and UID FETCH (RFC 3501 6.4.5, 6.4.8). A non-peek body item sets \Seen first, so the
 * flags the response shows already include it; FLAGS is then added when not asked for.
 * UID FETCH always returns UID. Messages another session expunged (and whose bytes are gone)
 * are skipped, and the command ends with NO [EXPUNGEISSUED].
 */
import { isStorageError } from '../../../core/storage/errors.ts';
import { UnknownCteError } from '../binary-item.ts';
import { MessageSource, renderItem, setsSeen } from '../fetch-items.ts';
import { condstoreOn, qresyncOn, setToRanges, vanishedLines, vanishedSince } from '../qresync.ts';
import { resolveSet, uidsOf } from '../seqset.ts';
import { bad, no, ok, type Chunk, type CommandHandler } from '../types.ts';
import type { FetchAttribute } from '../wire/commands.ts';

export const fetch: CommandHandler<'FETCH'> = {
  name: 'FETCH',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'FETCH' && !cmd.uid },
  async run(ctx, cmd) {
    const view = ctx.view!;
    // RFC 7162 3.2.6: VANISHED needs ENABLE QRESYNC first.
    if (cmd.vanished && !qresyncOn(ctx)) return bad('QRESYNC is not enabled');
    const r = resolveSet(view, cmd.set, cmd.uid);
    if (!r.ok) return bad(r.text);
    let seqs = r.seqs;
    // RFC 7162 3.1: CHANGEDSINCE and the MODSEQ item are CONDSTORE enabling.
    if (cmd.changedSince !== null || cmd.attributes.some((a) => a.type === 'MODSEQ')) ctx.enabled.add('CONDSTORE');
    if (cmd.changedSince !== null) seqs = seqs.filter((s) => view.meta(s).modseq > cmd.changedSince!);
    if (cmd.vanished && !cmd.set.saved) {
      const scope = setToRanges(cmd.set, view.uidNext() - 1);
      for (const line of vanishedLines(vanishedSince(view, cmd.changedSince!, scope), true)) await ctx.untagged(line);
    }

    const attrs: FetchAttribute[] = cmd.attributes.slice();
    // QRESYNC: every FETCH response carries UID (RFC 7162 3.2.4), so the client can key on it.
    if ((cmd.uid || qresyncOn(ctx)) && !attrs.some((a) => a.type === 'UID')) attrs.unshift({ type: 'UID' });
    if (cmd.changedSince !== null && !attrs.some((a) => a.type === 'MODSEQ')) attrs.push({ type: 'MODSEQ' });

    // \Seen is set before anything is sent, in one store call.
    const flagged = new Set<number>();
    if (!view.readOnly && attrs.some(setsSeen)) {
      const unseen = seqs.filter((s) => !view.meta(s).flags.includes('\\Seen'));
      if (unseen.length > 0) {
        try {
          const res = await view.store(uidsOf(view, unseen), 'add', ['\\Seen']);
          for (const uid of res.changed) flagged.add(uid);
        } catch (err) {
          // RFC 4314 4: without the `s` right the body is still served; \Seen is simply not set.
          if (!isStorageError(err, 'NO_PERMISSION')) throw err;
        }
      }
    }
    const wantsFlags = attrs.some((a) => a.type === 'FLAGS');

    let expungeIssued = false;
    for (const seq of seqs) {
      const src = new MessageSource(view, seq);
      const items: Chunk[][] = [];
      try {
        for (const a of attrs) items.push(await renderItem(view, seq, a, src));
      } catch (err) {
        // RFC 3516: a content transfer encoding we cannot undo fails the command.
        if (err instanceof UnknownCteError) return no('Unknown Content-Transfer-Encoding.', 'UNKNOWN-CTE');
        if (isStorageError(err, 'EXPUNGED') || isStorageError(err, 'NOT_FOUND')) {
          expungeIssued = true;
          continue;
        }
        throw err;
      }
      if (flagged.has(view.uidAt(seq))) {
        if (!wantsFlags) items.push(await renderItem(view, seq, { type: 'FLAGS' }, src));
        // RFC 7162 3.1.4: a FETCH that set \Seen reports the new MODSEQ once CONDSTORE is on.
        if (condstoreOn(ctx) && !attrs.some((a) => a.type === 'MODSEQ')) items.push(await renderItem(view, seq, { type: 'MODSEQ' }, src));
      }
      const body: Chunk[] = [];
      items.forEach((item, i) => {
        if (i > 0) body.push(' ');
        body.push(...item);
      });
      await ctx.untagged(`${seq} FETCH (`, ...body, ')');
    }
    if (expungeIssued) return no('Some messages were expunged meanwhile.', 'EXPUNGEISSUED');
    return ok('Fetch completed.');
  },
};
