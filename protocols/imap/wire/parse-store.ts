/**
 * STORE, COPY, MOVE (plain and UID) and UID EXPUNGE.
 */
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip, parseFlag, parseFlagList } from './parse-args.ts';

const OPERATIONS: Record<string, 'add' | 'remove' | 'replace'> = { '+FLAGS': 'add', '-FLAGS': 'remove', FLAGS: 'replace' };

/** STORE set [(UNCHANGEDSINCE n)] (+|-)FLAGS[.SILENT] (flags) | flag... */
export function parseStore(args: Args, uid: boolean): ImapCommand {
  const set = args.seqSet();
  let unchangedSince: number | null = null;
  if (args.peek()?.type === 'list') {
    const mods = args.sub(args.list('STORE modifiers'));
    while (mods.more()) {
      const name = mods.keyword('STORE modifier');
      if (name === 'UNCHANGEDSINCE' && unchangedSince === null) unchangedSince = mods.modseq('UNCHANGEDSINCE value');
      else throw new CommandError(`Unknown or repeated STORE modifier ${clip(name)}`);
    }
  }
  let item = args.keyword('STORE data item');
  const silent = item.endsWith('.SILENT');
  if (silent) item = item.slice(0, -'.SILENT'.length);
  const operation = OPERATIONS[item];
  if (!operation) throw new CommandError(`Invalid STORE data item ${clip(item)}`);
  if (!args.more()) throw new CommandError('Missing flags');
  let flags: string[];
  if (args.peek()?.type === 'list') {
    flags = parseFlagList(args.list('flags'));
    args.end();
  } else {
    flags = [];
    while (args.more()) flags.push(parseFlag(args.next('flag')));
  }
  return { name: 'STORE', uid, set, operation, silent, flags, unchangedSince };
}

export function parseCopyMove(args: Args, name: 'COPY' | 'MOVE', uid: boolean): ImapCommand {
  const set = args.seqSet();
  const mailbox = args.mailbox();
  args.end();
  return { name, uid, set, mailbox };
}

export function parseUidExpunge(args: Args): ImapCommand {
  const set = args.seqSet('UID set');
  args.end();
  return { name: 'UID EXPUNGE', set };
}
