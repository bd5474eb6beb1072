/**
 * GETMETADATA (RFC 5464 4.2): one `* METADATA mailbox (entry value ...)` with the entries that
 * exist (none: no response); DEPTH widens each name to its children, MAXSIZE leaves out longer
 * values and reports the longest left out as `[METADATA LONGENTRIES n]`. Server entries
 * (mailbox "") are the user's /private ones.
 */
import type { Chunk } from '../types.ts';
import { mailboxChunks, stringChunks } from '../encode.ts';
import { entryMatches } from '../metadata-entry.ts';
import { utf8Names } from '../rev2.ts';
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

/** A value as quoted string when it is plain ASCII, else as a literal of its bytes. */
export function metadataValueChunks(v: Buffer): Chunk[] {
  return v.some((b) => b >= 0x80) ? stringChunks(v) : stringChunks(v.toString('latin1'));
}

export const getMetadata: CommandHandler<'GETMETADATA'> = {
  name: 'GETMETADATA',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const mail = ctx.mail!;
    if (!mail.getMetadata) return no('METADATA is not available.', 'UNAVAILABLE');
    const all = await mail.getMetadata(cmd.mailbox === '' ? null : cmd.mailbox);
    const found: Array<[string, Buffer]> = [];
    let longest = 0;
    for (const [entry, value] of [...all].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!cmd.entries.some((r) => entryMatches(r, entry, cmd.depth))) continue;
      if (cmd.maxSize !== null && value.length > cmd.maxSize) longest = Math.max(longest, value.length);
      else found.push([entry, value]);
    }
    if (found.length > 0) {
      const chunks: Chunk[] = ['METADATA ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), ' ('];
      found.forEach(([entry, value], i) => chunks.push(i > 0 ? ' ' : '', entry, ' ', ...metadataValueChunks(value)));
      chunks.push(')');
      await ctx.untagged(...chunks);
    }
    return longest > 0 ? ok('Getmetadata completed.', `METADATA LONGENTRIES ${longest}`) : ok('Getmetadata completed.');
  },
};
