/** COPY and UID COPY (RFC 3501 6.4.7) with COPYUID (RFC 4315). */
import { compactSet } from '../encode.ts';
import { completionForError } from '../error-map.ts';
import { resolveSet, uidsOf } from '../seqset.ts';
import { bad, ok, type CommandHandler } from '../types.ts';

export const copy: CommandHandler<'COPY'> = {
  name: 'COPY',
  states: ['selected'],
  // No EXPUNGE right after a sequence-number COPY: a pipelined STORE may rely on the numbers.
  flags: { usesSequenceNumbers: (cmd) => cmd.name === 'COPY' && !cmd.uid },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const r = resolveSet(view, cmd.set, cmd.uid);
    if (!r.ok) return bad(r.text);
    try {
      if (r.seqs.length === 0) {
        // Still tell the client when the destination is missing.
        await ctx.mail!.status(cmd.mailbox);
        return ok('No messages copied.');
      }
      const res = await view.copy(uidsOf(view, r.seqs), cmd.mailbox);
      // Every message was expunged by another session meanwhile: an empty COPYUID is malformed.
      if (res.sourceUids.length === 0) return ok('No messages copied.');
      return ok(
        'Copy completed.',
        `COPYUID ${res.uidValidity} ${compactSet(res.sourceUids)} ${compactSet(res.destUids)}`,
      );
    } catch (err) {
      return completionForError(err, { command: 'COPY', missingIsTryCreate: true }, ctx.log);
    }
  },
};
