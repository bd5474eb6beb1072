/** NAMESPACE (RFC 2342): one personal namespace, no prefix, '/' as the delimiter. */
import { HIERARCHY_DELIMITER } from '../../../core/storage/mail-store.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const namespace: CommandHandler<'NAMESPACE'> = {
  name: 'NAMESPACE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx) {
    await ctx.untagged(`NAMESPACE (("" "${HIERARCHY_DELIMITER}")) NIL NIL`);
    return ok('Namespace completed.');
  },
};
