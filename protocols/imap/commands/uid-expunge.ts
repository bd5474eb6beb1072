/** UID EXPUNGE (RFC 4315): only the given UIDs that are flagged \Deleted. */
import { resolveSet, uidsOf } from '../seqset.ts';
import { NEVER_SEQ, bad, no, ok, type CommandHandler } from '../types.ts';
import { expungeCode } from './expunge.ts';

export const uidExpunge: CommandHandler<'UID EXPUNGE'> = {
  name: 'UID EXPUNGE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const view = ctx.view!;
    if (view.readOnly) return no('Mailbox is read-only.', 'READ-ONLY');
    const r = resolveSet(view, cmd.set, true);
    if (!r.ok) return bad(r.text);
    if (r.seqs.length > 0) await view.expunge(uidsOf(view, r.seqs));
    return ok('Expunge completed.', expungeCode(ctx));
  },
};
