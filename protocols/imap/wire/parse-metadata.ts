/**
 * METADATA (RFC 5464 with errata 2785 and 3868) command arguments:
 *   GETMETADATA [(MAXSIZE n DEPTH 0|1|infinity)] mailbox (entry ...) | entry
 *   SETMETADATA mailbox (entry value ...)       value = nstring
 * The mailbox "" names the server. Entry names are validated and lower-cased here.
 */
import { normalizeEntry } from '../metadata-entry.ts';
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip } from './parse-args.ts';

function entryName(args: Args, bare: boolean): string {
  const raw = args.astring('entry name');
  const n = normalizeEntry(raw, bare);
  if (n === null) throw new CommandError(`Invalid entry name ${clip(raw)}: must be /private/... or /shared/...`);
  return n;
}

export function parseGetMetadata(args: Args): ImapCommand {
  let maxSize: number | null = null;
  let depth: '0' | '1' | 'infinity' = '0';
  if (args.peek()?.type === 'list') {
    const opts = args.sub(args.list('GETMETADATA options'));
    if (!opts.more()) throw new CommandError('Empty GETMETADATA options');
    while (opts.more()) {
      const o = opts.keyword('GETMETADATA option');
      if (o === 'MAXSIZE') maxSize = opts.number('MAXSIZE');
      else if (o === 'DEPTH') {
        const d = opts.keyword('DEPTH');
        if (d !== '0' && d !== '1' && d !== 'INFINITY') throw new CommandError(`Invalid DEPTH ${clip(d)}`);
        depth = d === 'INFINITY' ? 'infinity' : d;
      } else throw new CommandError(`Unknown GETMETADATA option ${clip(o)}`);
    }
  }
  const mailbox = args.mailbox();
  const entries: string[] = [];
  if (args.peek()?.type === 'list') {
    const list = args.sub(args.list('entry list'));
    if (!list.more()) throw new CommandError('Empty entry list');
    while (list.more()) entries.push(entryName(list, true));
  } else entries.push(entryName(args, true));
  args.end();
  return { name: 'GETMETADATA', mailbox, entries, maxSize, depth };
}

export function parseSetMetadata(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const list = args.sub(args.list('entry-value list'));
  if (!list.more()) throw new CommandError('Empty entry-value list');
  const changes: Array<{ entry: string; value: Buffer | null }> = [];
  while (list.more()) {
    const entry = entryName(list, false);
    const t = list.next('entry value');
    let value: Buffer | null;
    if (t.type === 'atom' && t.value.toUpperCase() === 'NIL') value = null;
    else if (t.type === 'quoted') value = Buffer.from(t.value, 'utf8');
    else if (t.type === 'literal') value = Buffer.from(t.value);
    else throw new CommandError('Invalid entry value: expected a string or NIL');
    changes.push({ entry, value });
  }
  args.end();
  return { name: 'SETMETADATA', mailbox, changes };
}
