/**
 * ACL (RFC 4314) command arguments. Identifiers and rights are astrings; rights letters are
 * checked here (an unknown right is BAD, RFC 4314 3.1), the `+`/`-` modifier kept for the handler.
 */
import { canonicalRights } from '../../../core/storage/acl.ts';
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip } from './parse-args.ts';

function identifier(args: Args): string {
  const id = args.astring('identifier');
  if (id === '' || id === '-') throw new CommandError('Invalid identifier: empty');
  return id;
}

export function parseSetAcl(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const id = identifier(args);
  const rights = args.astring('rights');
  const bare = rights[0] === '+' || rights[0] === '-' ? rights.slice(1) : rights;
  if (canonicalRights(bare) === null) throw new CommandError(`Invalid rights ${clip(rights)}: unknown right`);
  args.end();
  return { name: 'SETACL', mailbox, identifier: id, rights };
}

export function parseDeleteAcl(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const id = identifier(args);
  args.end();
  return { name: 'DELETEACL', mailbox, identifier: id };
}

export function parseListRights(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const id = identifier(args);
  args.end();
  return { name: 'LISTRIGHTS', mailbox, identifier: id };
}

export function parseMailboxOnly(args: Args, name: 'GETACL' | 'MYRIGHTS'): ImapCommand {
  const mailbox = args.mailbox();
  args.end();
  return { name, mailbox };
}
