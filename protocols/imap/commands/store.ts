/**
 * STORE and UID STORE (RFC 3501 6.4.6). Untagged FETCH FLAGS for every addressed message
 * unless .SILENT; other sessions see the change through their own sync.
 */
import { flagList } from '../encode.ts';
import { condstoreOn, formatRanges, qresyncOn, uidsToRanges } from '../qresync.ts';
import { resolveSet, uidsOf } from '../seqset.ts';
import { keywordLines, sessionFlags } from '../updates.ts';
import { bad, no, ok, type CommandHandler } from '../types.ts';

const SYSTEM_FLAGS = new Set(['\\answered', '\\flagged', '\\deleted', '\\seen', '\\draft']);

export const store: CommandHandler<'STORE'> = {
  name: 'STORE',
  states: ['selected'],
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'STORE' && !cmd.uid },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const r = resolveSet(view, cmd.set, cmd.uid);
    if (!r.ok) return bad(r.text);
    if (cmd.flags.some((f) => f.toLowerCase() === '\\recent')) return bad('\\Recent cannot be stored.');
    // A system flag we do not know is a client error, not a storage failure.
    const unknown = cmd.flags.find((f) => f.startsWith('\\') && !SYSTEM_FLAGS.has(f.toLowerCase()));
    if (unknown !== undefined) return bad(`Invalid system flag ${unknown}`);
    if (view.readOnly) return no('Mailbox is read-only.');
    if (r.seqs.length === 0) return ok('Store completed.');
    const res = await view.store(uidsOf(view, r.seqs), cmd.operation, cmd.flags, cmd.unchangedSince ?? undefined);
    const failed = new Set(res.failedUnchangedSince);
    // RFC 7162 3.1: UNCHANGEDSINCE is CONDSTORE enabling.
    if (cmd.unchangedSince !== null) ctx.enabled.add('CONDSTORE');
    const condstore = condstoreOn(ctx);
    const withUid = cmd.uid || qresyncOn(ctx);
    const changed = new Set(res.changed);
    for (const line of keywordLines(ctx, r.seqs)) await ctx.untagged(line);
    for (const seq of r.seqs) {
      const uid = view.uidAt(seq);
      if (failed.has(uid)) continue;
      // .SILENT still reports the new MODSEQ of changed messages under CONDSTORE (RFC 7162 3.1.3).
      if (cmd.silent && !(condstore && changed.has(uid))) continue;
      const parts: string[] = [];
      if (!cmd.silent) parts.push(`FLAGS ${flagList(sessionFlags(view, seq))}`);
      if (withUid) parts.push(`UID ${uid}`);
      if (condstore) parts.push(`MODSEQ (${view.meta(seq).modseq})`);
      await ctx.untagged(`${seq} FETCH (${parts.join(' ')})`);
    }
    if (failed.size > 0) {
      const modified = r.seqs.filter((s) => failed.has(view.uidAt(s))).map((s) => (cmd.uid ? view.uidAt(s) : s));
      return ok('Conditional store failed.', `MODIFIED ${formatRanges(uidsToRanges(modified))}`);
    }
    return ok('Store completed.');
  },
};
