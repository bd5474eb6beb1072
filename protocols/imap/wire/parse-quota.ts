/**
 * QUOTA (RFC 9208) command arguments: GETQUOTA root, GETQUOTAROOT mailbox and
 * SETQUOTA root (resource limit ...). Resource names are atoms, limits are numbers
 * (63-bit by the RFC; JS numbers are exact far beyond any real limit).
 */
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip } from './parse-args.ts';

export function parseGetQuota(args: Args): ImapCommand {
  const root = args.astring('quota root');
  args.end();
  return { name: 'GETQUOTA', root };
}

export function parseGetQuotaRoot(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  args.end();
  return { name: 'GETQUOTAROOT', mailbox };
}

export function parseSetQuota(args: Args): ImapCommand {
  const root = args.astring('quota root');
  const list = args.sub(args.list('quota resource list'));
  const limits: Array<{ resource: string; limit: number }> = [];
  while (list.more()) {
    const resource = list.keyword('quota resource name');
    if (!/^[A-Z0-9-]+$/.test(resource)) throw new CommandError(`Invalid quota resource name ${clip(resource)}`);
    const limit = list.number('quota limit', Number.MAX_SAFE_INTEGER);
    limits.push({ resource, limit });
  }
  args.end();
  return { name: 'SETQUOTA', root, limits };
}
