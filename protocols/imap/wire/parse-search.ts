/**
 * SEARCH / UID SEARCH: `SEARCH [RETURN (...)] [CHARSET x] key...` into a SearchKey tree.
 * Every RFC 3501 key, plus MODSEQ (RFC 7162), YOUNGER/OLDER (RFC 5032), SAVED* (RFC 8514)
 * and ESEARCH RETURN options (RFC 4731 / 5182, CONTEXT, UPDATE and PARTIAL of RFC 5267).
 */
import type { SearchKey, DateOp } from '../../../core/search/criteria.ts';
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, clip, parseFlag, parseSearchDate, parseSeqSet } from './parse-args.ts';

const CHARSETS = new Set(['UTF-8', 'US-ASCII']);
const RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE', 'CONTEXT', 'UPDATE', 'PARTIAL']);
/** NOT/OR chains deeper than this are refused (they would only recurse the parser). */
const MAX_KEY_DEPTH = 64;

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

const HEADER_KEYS: Record<string, string> = { BCC: 'Bcc', CC: 'Cc', FROM: 'From', SUBJECT: 'Subject', TO: 'To' };

const DATE_KEYS: Record<string, ['internal' | 'sent' | 'save', DateOp]> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
  SAVEDBEFORE: ['save', 'before'],
  SAVEDON: ['save', 'on'],
  SAVEDSINCE: ['save', 'since'],
};

export function parseSearch(args: Args, uid: boolean): ImapCommand {
  let returnOptions: string[] | null = null;
  let optionError: CommandError | null = null;
  let partial: { low: number; high: number } | undefined;
  if (args.peekAtom() === 'RETURN') {
    args.next('RETURN');
    const opts = args.sub(args.list('RETURN options'));
    returnOptions = [];
    while (opts.more()) {
      const opt = opts.keyword('RETURN option');
      if (!RETURN_OPTIONS.has(opt)) optionError ??= new CommandError(`Unknown RETURN option ${clip(opt)}`);
      else if (opt === 'PARTIAL') {
        const range = parsePartialRange(opts.more() ? opts.atom('PARTIAL range') : '');
        // RFC 5267 4.4: one PARTIAL or one ALL, never both.
        if (range === null) optionError ??= new CommandError('Invalid PARTIAL range');
        else if (partial) optionError ??= new CommandError('PARTIAL given twice');
        else partial = range;
      }
      if (RETURN_OPTIONS.has(opt) && !returnOptions.includes(opt)) returnOptions.push(opt);
    }
    if (partial && returnOptions.includes('ALL')) optionError ??= new CommandError('PARTIAL and ALL cannot be combined');
  }
  try {
    if (optionError) throw optionError;
    const cmd = parseSearchProgram(args, uid, returnOptions);
    return partial && cmd.name === 'SEARCH' ? { ...cmd, partial } : cmd;
  } catch (e) {
    // A failed SEARCH with SAVE must still reach the handler: it empties `$` (RFC 5182 2.1).
    if (!(e instanceof CommandError) || !returnOptions?.includes('SAVE')) throw e;
    const failure = { response: e.response, code: e.code, text: e.text };
    return { name: 'SEARCH', uid, charset: null, criteria: { type: 'all' }, returnOptions, failure };
  }
}

/** `low:high` (either order), both nz-numbers; null when malformed. */
function parsePartialRange(text: string): { low: number; high: number } | null {
  const m = /^([1-9][0-9]{0,9}):([1-9][0-9]{0,9})$/.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 4294967295 || b > 4294967295) return null;
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

function parseSearchProgram(args: Args, uid: boolean, returnOptions: string[] | null): ImapCommand {
  let charset: string | null = null;
  if (args.peekAtom() === 'CHARSET') {
    args.next('CHARSET');
    charset = args.astring('charset name').toUpperCase();
    if (!CHARSETS.has(charset)) throw new CommandError('Unsupported charset', 'NO', 'BADCHARSET (UTF-8 US-ASCII)');
  }
  if (!args.more()) throw new CommandError('Missing search criteria');
  const keys: SearchKey[] = [];
  while (args.more()) keys.push(parseKey(args, 0));
  return { name: 'SEARCH', uid, charset, criteria: keys.length === 1 ? keys[0]! : { type: 'and', keys }, returnOptions };
}

function parseKey(args: Args, depth: number): SearchKey {
  if (depth > MAX_KEY_DEPTH) throw new CommandError('Search criteria nested too deeply');
  const t = args.next('search key');
  if (t.type === 'list') {
    if (t.items.length === 0) throw new CommandError('Empty parenthesized search key');
    const inner = args.sub(t.items);
    const keys: SearchKey[] = [];
    while (inner.more()) keys.push(parseKey(inner, depth + 1));
    return keys.length === 1 ? keys[0]! : { type: 'and', keys };
  }
  if (t.type !== 'atom') throw new CommandError('Invalid search key: expected an atom');
  const name = t.value.toUpperCase();
  if (/^[0-9*$]/.test(name)) return { type: 'seq', set: parseSeqSet(t.value) };

  const flag = FLAG_KEYS[name];
  if (flag) return { type: 'flag', flag: flag[0], set: flag[1] };
  const header = HEADER_KEYS[name];
  if (header) return { type: 'header', name: header, value: args.astring(`${name} value`) };
  const date = DATE_KEYS[name];
  if (date) return { type: 'date', field: date[0], op: date[1], date: parseSearchDate(args.next(`${name} date`), `${name} date`) };

  switch (name) {
    case 'ALL':
      return { type: 'all' };
    case 'SAVEDATESUPPORTED':
      return { type: 'all' }; // every mailbox here records save dates
    case 'RECENT':
      return { type: 'recent', set: true };
    case 'NEW':
      return { type: 'new' };
    case 'OLD':
      return { type: 'old' };
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { type: 'flag', flag: parseFlag(args.next('keyword'), 'keyword'), set: name === 'KEYWORD' };
    case 'HEADER': {
      const field = args.astring('header field name');
      if (!/^[\x21-\x39\x3b-\x7e]+$/.test(field)) throw new CommandError(`Invalid header field name ${clip(field)}`);
      return { type: 'header', name: field, value: args.astring('HEADER value') };
    }
    case 'BODY':
      return { type: 'body', value: args.astring('BODY value') };
    case 'TEXT':
      return { type: 'text', value: args.astring('TEXT value') };
    case 'LARGER':
    case 'SMALLER':
      return { type: 'size', op: name === 'LARGER' ? 'larger' : 'smaller', bytes: args.number(`${name} size`) };
    case 'YOUNGER':
    case 'OLDER':
      return { type: 'within', op: name === 'YOUNGER' ? 'younger' : 'older', seconds: args.nzNumber(`${name} interval`) };
    case 'UID':
      return { type: 'uid', set: args.seqSet('UID set') };
    case 'NOT':
      return { type: 'not', key: parseKey(args, depth + 1) };
    case 'OR':
      return { type: 'or', left: parseKey(args, depth + 1), right: parseKey(args, depth + 1) };
    case 'MODSEQ':
      return parseModseq(args);
    case 'EMAILID':
    case 'THREADID': {
      // RFC 8474 4: objectid = 1*255(ALPHA / DIGIT / "_" / "-").
      const id = args.astring(`${name} value`);
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw new CommandError(`Invalid ${name} value`);
      return { type: name === 'EMAILID' ? 'emailid' : 'threadid', id };
    }
    default:
      throw new CommandError(`Unknown search key ${clip(t.value)}`);
  }
}

/** `MODSEQ ["/flags/\\Seen" all|priv|shared] n`: the entry is accepted and ignored. */
function parseModseq(args: Args): SearchKey {
  const t = args.peek();
  if (t && (t.type === 'quoted' || t.type === 'literal')) {
    args.string('MODSEQ entry name');
    const type = args.keyword('MODSEQ entry type');
    if (type !== 'PRIV' && type !== 'SHARED' && type !== 'ALL') throw new CommandError('Invalid MODSEQ entry type');
  }
  return { type: 'modseq', modseq: args.modseq('MODSEQ value') };
}

/** The search keys that end a command (SORT, THREAD): one or more, ANDed. */
export function parseSearchCriteria(args: Args): SearchKey {
  if (!args.more()) throw new CommandError('Missing search criteria');
  const keys: SearchKey[] = [];
  while (args.more()) keys.push(parseKey(args, 0));
  return keys.length === 1 ? keys[0]! : { type: 'and', keys };
}

/** `CANCELUPDATE "tag" ...` (RFC 5267 4.3.5): one or more quoted tags. */
export function parseCancelUpdate(args: Args): ImapCommand {
  if (!args.more()) throw new CommandError('Missing tag to cancel');
  const tags: string[] = [];
  while (args.more()) tags.push(args.string('search tag'));
  return { name: 'CANCELUPDATE', tags };
}
