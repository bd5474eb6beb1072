/**
 * GETQUOTAROOT (RFC 9208 4.3): `* QUOTAROOT mailbox root...` then a `* QUOTA` per root.
 * Every mailbox of the user shares the root "", present only when a quota is configured.
 */
import { mailboxChunks } from '../encode.ts';
import { hasQuota, quotaResources, quotaResponse } from '../quota.ts';
import { utf8Names } from '../rev2.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const getQuotaRoot: CommandHandler<'GETQUOTAROOT'> = {
  name: 'GETQUOTAROOT',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    // A missing mailbox throws NOT_FOUND: NO [NONEXISTENT].
    await ctx.mail!.status(cmd.mailbox);
    const limited = hasQuota(ctx.config);
    await ctx.untagged('QUOTAROOT ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), limited ? ' ""' : '');
    if (limited) await ctx.untagged(quotaResponse(await quotaResources(ctx.config, ctx.mail!)));
    return ok('Getquotaroot completed.');
  },
};
