/**
 * APPEND (RFC 3501 6.3.11) with APPENDUID (RFC 4315), MULTIAPPEND (RFC 3502: several messages,
 * all or none, APPENDUID with a UID set), literal8 (RFC 3516: binary content is stored as is)
 * and APPENDLIMIT (RFC 7889: limits.messageSize per message). The receiver hands the request
 * over only once its literals are complete, so a connection dropped mid-literal stores nothing.
 * Appending to the selected mailbox shows up as EXISTS through the dispatcher's sync.
 */
import { appendAll } from '../append-batch.ts';
import { resolveCatenate } from '../catenate.ts';
import { compactSet } from '../encode.ts';
import { completionForError } from '../error-map.ts';
import { NEVER_SEQ, no, type CommandHandler } from '../types.ts';

export const append: CommandHandler<'APPEND'> = {
  name: 'APPEND',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, command) {
    // CATENATE (RFC 4469) messages are built first; a bad URL or size refuses the whole command.
    const built = await resolveCatenate(ctx, command.messages);
    if (!built.ok) return built.completion;
    const cmd = { ...command, messages: built.messages };
    // Every message is checked before any is stored: a refusal leaves nothing behind.
    const limit = ctx.config.limits.messageSize;
    if (cmd.messages.some((m) => m.message.length > limit)) return no('Message too large.', 'TOOBIG');
    if (cmd.messages.some((m) => m.message.length === 0)) return no('Cannot append an empty message.');
    if (cmd.messages.some((m) => m.flags.some((f) => f.toLowerCase() === '\\recent'))) {
      return { status: 'BAD', text: 'Cannot set \\Recent.' };
    }
    const r = await appendAll(ctx.mail!, cmd.mailbox, cmd.messages);
    if (!r.ok) return completionForError(r.error, { command: 'APPEND', missingIsTryCreate: true }, ctx.log);
    return { status: 'OK', code: `APPENDUID ${r.uidValidity} ${compactSet(r.uids)}`, text: 'Append completed.' };
  },
};
