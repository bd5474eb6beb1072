/**
 * REPLACE and UID REPLACE (RFC 8508): APPEND the new message to the named mailbox, then
 * expunge the old one from the selected mailbox. The new message is saved first, so a failed
 * save (TRYCREATE, TOOBIG, ...) leaves the original untouched. The APPENDUID of the new
 * message goes out in an untagged OK (RFC 8508 3.3), the EXPUNGE of the old one (and the
 * EXISTS when the new message lands in the selected mailbox) through the dispatcher's sync,
 * which REPLACE allows even by sequence number, as MOVE does.
 */
import { resolveCatenate } from '../catenate.ts';
import { completionForError } from '../error-map.ts';
import { NEVER_SEQ, bad, no, ok, type CommandHandler } from '../types.ts';

export const replace: CommandHandler<'REPLACE'> = {
  name: 'REPLACE',
  states: ['selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const view = ctx.view!;
    const count = view.count();
    let seq: number;
    if (cmd.uid) {
      const uid = cmd.target === '*' ? (count > 0 ? view.uidAt(count) : 0) : cmd.target;
      seq = uid > 0 ? view.seqOfUid(uid) : 0;
      if (seq === 0) return no('No such message to replace.');
    } else {
      seq = cmd.target === '*' ? count : cmd.target;
      if (seq < 1 || seq > count) return bad('Invalid message sequence number.');
    }
    if (view.readOnly) return no('Mailbox is read-only.', 'READ-ONLY');

    // CATENATE (RFC 4469) is built before anything changes; its URLs may name the old message.
    const built = await resolveCatenate(ctx, [cmd.message]);
    if (!built.ok) return built.completion;
    const m = built.messages[0]!;
    if (m.message.length > ctx.config.limits.messageSize) return no('Message too large.', 'TOOBIG');
    if (m.message.length === 0) return no('Cannot append an empty message.');
    if (m.flags.some((f) => f.toLowerCase() === '\\recent')) return bad('Cannot set \\Recent.');

    const oldUid = view.uidAt(seq);
    let appended: { uidValidity: number; uid: number };
    try {
      appended = await ctx.mail!.append(cmd.mailbox, m.message, {
        flags: m.flags,
        ...(m.internalDate ? { internalDate: m.internalDate } : {}),
      });
    } catch (err) {
      return completionForError(err, { command: 'REPLACE', missingIsTryCreate: true }, ctx.log);
    }
    await ctx.untagged(`OK [APPENDUID ${appended.uidValidity} ${appended.uid}] Replacement Message ID`);
    // The old message may have gone meanwhile (another session expunged it): nothing to do then.
    if (view.seqOfUid(oldUid) > 0) {
      await view.store([oldUid], 'add', ['\\Deleted']);
      await view.expunge([oldUid]);
    }
    return ok('Replace completed.');
  },
};
