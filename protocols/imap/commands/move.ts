/**
 * MOVE and UID MOVE (RFC 6851): COPYUID in an untagged OK, then the EXPUNGEs of the moved
 * messages (from the dispatcher's sync, which MOVE allows even by sequence number).
 */
import { compactSet } from '../encode.ts';
import { completionForError } from '../error-map.ts';
import { resolveSet, uidsOf } from '../seqset.ts';
import { NEVER_SEQ, bad, no, ok, type CommandHandler } from '../types.ts';

export const move: CommandHandler<'MOVE'> = {
  name: 'MOVE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const r = resolveSet(view, cmd.set, cmd.uid);
    if (!r.ok) return bad(r.text);
    if (view.readOnly) return no('Mailbox is read-only.');
    try {
      if (r.seqs.length === 0) {
        await ctx.mail!.status(cmd.mailbox);
        return ok('No messages moved.');
      }
      const res = await view.move(uidsOf(view, r.seqs), cmd.mailbox);
      // Every message was expunged by another session meanwhile: an empty COPYUID is malformed.
      if (res.sourceUids.length === 0) return ok('No messages moved.');
      await ctx.untagged(
        `OK [COPYUID ${res.uidValidity} ${compactSet(res.sourceUids)} ${compactSet(res.destUids)}] Moved UIDs.`,
      );
      return ok('Move completed.');
    } catch (err) {
      return completionForError(err, { command: 'MOVE', missingIsTryCreate: true }, ctx.log);
    }
  },
};
