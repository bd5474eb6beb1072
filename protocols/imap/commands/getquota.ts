/** GETQUOTA (RFC 9208 4.2): the resources of a quota root; this server has only "". */
import { hasQuota, quotaResources, quotaResponse, QUOTA_ROOT } from '../quota.ts';
import { NEVER_SEQ, no, ok, type CommandHandler } from '../types.ts';

export const getQuota: CommandHandler<'GETQUOTA'> = {
  name: 'GETQUOTA',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    if (cmd.root !== QUOTA_ROOT || !hasQuota(ctx.config)) return no('No such quota root.', 'NONEXISTENT');
    await ctx.untagged(quotaResponse(await quotaResources(ctx.config, ctx.mail!)));
    return ok('Getquota completed.');
  },
};
