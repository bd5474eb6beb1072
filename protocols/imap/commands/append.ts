/**
 * APPEND (RFC 3501 6.3.11) with APPENDUID (RFC 4315). The receiver hands the request over
 * only once its literal is complete, so a connection dropped mid-literal stores nothing.
 * Appending to the selected mailbox shows up as EXISTS through the dispatcher's sync.
 */
import { completionForError } from '../error-map.ts';
import { NEVER_SEQ, no, type CommandHandler } from '../types.ts';

export const append: CommandHandler<'APPEND'> = {
  name: 'APPEND',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const limit = ctx.config.limits.messageSize;
    if (cmd.messages.some((m) => m.message.length > limit)) return no('Message too large.', 'TOOBIG');
    if (cmd.messages.some((m) => m.message.length === 0)) return no('Cannot append an empty message.');
    if (cmd.messages.some((m) => m.flags.some((f) => f.toLowerCase() === '\\recent'))) {
      return { status: 'BAD', text: 'Cannot set \\Recent.' };
    }
    const uids: number[] = [];
    let uidValidity = 0;
    for (const m of cmd.messages) {
      try {
        const r = await ctx.mail!.append(cmd.mailbox, m.message, {
          flags: m.flags,
          ...(m.internalDate ? { internalDate: m.internalDate } : {}),
        });
        uids.push(r.uid);
        uidValidity = r.uidValidity;
      } catch (err) {
        return completionForError(err, { command: 'APPEND', missingIsTryCreate: true }, ctx.log);
      }
    }
    return { status: 'OK', code: `APPENDUID ${uidValidity} ${uids.join(',')}`, text: 'Append completed.' };
  },
};
