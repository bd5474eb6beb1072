/** CREATE (RFC 3501 6.3.3) with the USE option of RFC 6154 (CREATE-SPECIAL-USE). */
import { HIERARCHY_DELIMITER, type SpecialUse } from '../../../core/storage/mail-store.ts';
import { mailboxIdItem } from '../objectid.ts';
import { mailboxId } from '../status-extra.ts';
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

const SPECIAL_USES: readonly SpecialUse[] = ['\\Drafts', '\\Sent', '\\Trash', '\\Junk', '\\Archive', '\\All', '\\Flagged'];

export const create: CommandHandler<'CREATE'> = {
  name: 'CREATE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    // A trailing delimiter only says "this will have children" (RFC 3501).
    let name = cmd.mailbox;
    while (name.endsWith(HIERARCHY_DELIMITER)) name = name.slice(0, -1);
    if (name === '') return no('Invalid mailbox name.', 'CANNOT');
    let specialUse: SpecialUse | undefined;
    for (const use of cmd.specialUse) {
      const known = SPECIAL_USES.find((s) => s.toLowerCase() === use.toLowerCase());
      if (!known || (specialUse && specialUse !== known)) return no('Unsupported special-use attribute.', 'USEATTR');
      specialUse = known;
    }
    await ctx.mail!.createMailbox(name, specialUse ? { specialUse } : undefined);
    // OBJECTID (RFC 8474 4.1): the new mailbox's id in the tagged OK.
    const id = await mailboxId(ctx.mail!, name);
    return id ? ok('Create completed.', mailboxIdItem(id)) : ok('Create completed.');
  },
};
