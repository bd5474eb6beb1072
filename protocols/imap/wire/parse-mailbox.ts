/**
 * Commands whose subject is a mailbox: SELECT/EXAMINE, CREATE, DELETE, RENAME, (UN)SUBSCRIBE,
 * LIST (with LIST-EXTENDED options), LSUB, STATUS and APPEND (MULTIAPPEND, literal8).
 */
import type { AppendMessage, ImapCommand, StatusItems } from './commands.ts';
import { parseAppendPayload } from './parse-catenate.ts';
import { parseQresyncParam, type QresyncParams } from './parse-qresync.ts';
import type { Token } from './tokenizer.ts';
import { Args, CommandError, clip, decodeMailbox, parseDateTime, parseFlag, parseFlagList, tokenAstring } from './parse-args.ts';

export function parseSelect(args: Args, name: 'SELECT' | 'EXAMINE'): ImapCommand {
  const mailbox = args.mailbox();
  let condstore = false;
  let qresync: QresyncParams | undefined;
  if (args.more()) {
    const params = args.sub(args.list(`${name} parameters`));
    while (params.more()) {
      const p = params.keyword(`${name} parameter`);
      if (p === 'CONDSTORE') condstore = true;
      else if (p === 'QRESYNC' && !qresync) qresync = parseQresyncParam(params);
      else throw new CommandError(`Unsupported ${name} parameter ${clip(p)}`);
    }
  }
  args.end();
  return qresync ? { name, mailbox, condstore, qresync } : { name, mailbox, condstore };
}

export function parseCreate(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const specialUse: string[] = [];
  if (args.more()) {
    // RFC 6154: CREATE name (USE (\Drafts ...))
    const params = args.sub(args.list('CREATE parameters'));
    while (params.more()) {
      const p = params.keyword('CREATE parameter');
      if (p !== 'USE') throw new CommandError(`Unsupported CREATE parameter ${clip(p)}`);
      for (const t of params.list('USE attributes')) {
        const flag = parseFlag(t, 'special-use attribute');
        if (!flag.startsWith('\\')) throw new CommandError(`Invalid special-use attribute ${clip(flag)}`);
        specialUse.push(flag);
      }
    }
  }
  args.end();
  return { name: 'CREATE', mailbox, specialUse };
}

export function parseOneMailbox(args: Args, name: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE'): ImapCommand {
  const mailbox = args.mailbox();
  args.end();
  return { name, mailbox };
}

export function parseRename(args: Args): ImapCommand {
  const from = args.mailbox('existing mailbox name');
  const to = args.mailbox('new mailbox name');
  args.end();
  return { name: 'RENAME', from, to };
}

type Selection = 'SUBSCRIBED' | 'REMOTE' | 'RECURSIVEMATCH' | 'SPECIAL-USE';
type Return = 'SUBSCRIBED' | 'CHILDREN' | 'SPECIAL-USE' | 'MYRIGHTS';
const SELECTIONS = new Set<string>(['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE']);
const RETURNS = new Set<string>(['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE', 'MYRIGHTS']);

/** A list-mailbox: atom with wildcards or a string, decoded like a mailbox name. */
function listPattern(t: Token, args: Args, what: string): string {
  return decodeMailbox(tokenAstring(t, what), args.ctx.utf8Accept, what);
}

export function parseList(args: Args): ImapCommand {
  const selection: Selection[] = [];
  const first = args.peek();
  if (first && first.type === 'list') {
    const opts = args.sub(args.list('selection options'));
    while (opts.more()) {
      const o = opts.keyword('selection option');
      if (!SELECTIONS.has(o)) throw new CommandError(`Unknown LIST selection option ${clip(o)}`);
      if (!selection.includes(o as Selection)) selection.push(o as Selection);
    }
    // RFC 5258: RECURSIVEMATCH alone (or only with REMOTE) is an error.
    if (selection.includes('RECURSIVEMATCH') && !selection.some((s) => s === 'SUBSCRIBED' || s === 'SPECIAL-USE')) {
      throw new CommandError('RECURSIVEMATCH needs another selection option');
    }
  }
  const reference = listPattern(args.next('reference name'), args, 'reference name');
  const patternToken = args.next('mailbox pattern');
  const patterns =
    patternToken.type === 'list'
      ? patternToken.items.map((t) => listPattern(t, args, 'mailbox pattern'))
      : [listPattern(patternToken, args, 'mailbox pattern')];
  if (patterns.length === 0) throw new CommandError('Empty mailbox pattern list');

  const ret: Return[] = [];
  let returnStatus: StatusItems | null = null;
  if (args.more()) {
    if (args.keyword('RETURN') !== 'RETURN') throw new CommandError('Expected RETURN');
    const opts = args.sub(args.list('return options'));
    while (opts.more()) {
      const o = opts.keyword('return option');
      if (o === 'STATUS') returnStatus = parseStatusItems(opts.list('STATUS items'));
      else if (RETURNS.has(o)) {
        if (!ret.includes(o as Return)) ret.push(o as Return);
      } else throw new CommandError(`Unknown LIST return option ${clip(o)}`);
    }
  }
  args.end();
  return { name: 'LIST', reference, patterns, selection, return: ret, returnStatus };
}

export function parseLsub(args: Args): ImapCommand {
  const reference = listPattern(args.next('reference name'), args, 'reference name');
  const pattern = listPattern(args.next('mailbox pattern'), args, 'mailbox pattern');
  args.end();
  return { name: 'LSUB', reference, pattern };
}

const STATUS_ITEMS = new Set<string>(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'SIZE', 'HIGHESTMODSEQ', 'MAILBOXID', 'DELETED', 'APPENDLIMIT', 'DELETED-STORAGE']);

export function parseStatusItems(tokens: Token[]): StatusItems {
  if (tokens.length === 0) throw new CommandError('Empty STATUS item list');
  const items: StatusItems['items'] = [];
  for (const t of tokens) {
    const item = t.type === 'atom' ? t.value.toUpperCase() : '';
    if (!STATUS_ITEMS.has(item)) throw new CommandError(`Unknown STATUS item ${t.type === 'atom' ? clip(t.value) : ''}`.trim());
    if (!items.includes(item as StatusItems['items'][number])) items.push(item as StatusItems['items'][number]);
  }
  return { items };
}

export function parseStatus(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const { items } = parseStatusItems(args.list('STATUS items'));
  args.end();
  return { name: 'STATUS', mailbox, items };
}

/** APPEND mailbox [(flags)] ["date-time"] literal, repeated for MULTIAPPEND. */
export function parseAppend(args: Args): ImapCommand {
  const mailbox = args.mailbox();
  const messages: AppendMessage[] = [];
  do {
    let flags: string[] = [];
    let internalDate: Date | null = null;
    if (args.peek()?.type === 'list') flags = parseFlagList(args.list('flags'));
    if (args.peek()?.type === 'quoted') internalDate = parseDateTime(args.next('date-time'));
    messages.push({ flags, internalDate, ...parseAppendPayload(args) });
  } while (args.more());
  return { name: 'APPEND', mailbox, messages };
}
