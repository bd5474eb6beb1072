/**
 * From a framed command to a typed ImapCommand: tag, tokenize, then the parse of the named
 * command. Returns a result, never throws on client input.
 */
import type { ImapCommand } from './commands.ts';
import { tokenize, type CommandSegment } from './tokenizer.ts';
import { Args, CommandError, clip } from './parse-args.ts';
import { parseFetch } from './parse-fetch.ts';
import { parseNotify } from './parse-notify.ts';
import { parseReplace } from './parse-replace.ts';
import { parseGetQuota, parseGetQuotaRoot, parseSetQuota } from './parse-quota.ts';
import { parseGetMetadata, parseSetMetadata } from './parse-metadata.ts';
import { parseDeleteAcl, parseListRights, parseMailboxOnly, parseSetAcl } from './parse-acl.ts';
import { parseCancelUpdate, parseSearch } from './parse-search.ts';
import { parseSort, parseThread } from './parse-sort.ts';
import { parseStore, parseCopyMove, parseUidExpunge } from './parse-store.ts';
import {
  parseAppend,
  parseCreate,
  parseList,
  parseLsub,
  parseOneMailbox,
  parseRename,
  parseSelect,
  parseStatus,
} from './parse-mailbox.ts';

export interface ParseOptions {
  utf8Accept: boolean;
  nestingDepth: number;
}

export type ParseResult =
  | { ok: true; tag: string; command: ImapCommand }
  | { ok: false; tag: string | null; response: 'BAD' | 'NO'; code: string | null; text: string };

/** tag = 1*<ASTRING-CHAR except "+">: printable ASCII minus ( ) { SP " \ % * + and CTL/8-bit. */
function isTagByte(b: number): boolean {
  return b > 0x20 && b < 0x7f && b !== 0x28 && b !== 0x29 && b !== 0x7b && b !== 0x22 && b !== 0x5c && b !== 0x25 && b !== 0x2a && b !== 0x2b;
}

/** The tag at the start of a command line, or null when it is missing or malformed. */
export function extractTag(line: Buffer): string | null {
  let i = 0;
  while (i < line.length && line[i] !== 0x20) {
    if (!isTagByte(line[i]!)) return null;
    i++;
  }
  return i > 0 ? line.toString('latin1', 0, i) : null;
}

type Parser = (args: Args) => ImapCommand;

function noArgs(name: ImapCommand['name']): Parser {
  return (args) => {
    args.end();
    return { name } as ImapCommand;
  };
}

const COMMANDS: Record<string, Parser> = {
  CAPABILITY: noArgs('CAPABILITY'),
  NOOP: noArgs('NOOP'),
  LOGOUT: noArgs('LOGOUT'),
  STARTTLS: noArgs('STARTTLS'),
  NAMESPACE: noArgs('NAMESPACE'),
  IDLE: noArgs('IDLE'),
  CHECK: noArgs('CHECK'),
  CLOSE: noArgs('CLOSE'),
  UNSELECT: noArgs('UNSELECT'),
  EXPUNGE: noArgs('EXPUNGE'),
  ID: parseId,
  LOGIN: parseLogin,
  AUTHENTICATE: parseAuthenticate,
  ENABLE: parseEnable,
  NOTIFY: parseNotify,
  SELECT: (a) => parseSelect(a, 'SELECT'),
  EXAMINE: (a) => parseSelect(a, 'EXAMINE'),
  CREATE: parseCreate,
  DELETE: (a) => parseOneMailbox(a, 'DELETE'),
  SUBSCRIBE: (a) => parseOneMailbox(a, 'SUBSCRIBE'),
  UNSUBSCRIBE: (a) => parseOneMailbox(a, 'UNSUBSCRIBE'),
  RENAME: parseRename,
  LIST: parseList,
  LSUB: parseLsub,
  STATUS: parseStatus,
  APPEND: parseAppend,
  COMPRESS: parseCompress,
  SEARCH: (a) => parseSearch(a, false),
  CANCELUPDATE: parseCancelUpdate,
  SORT: (a) => parseSort(a, false),
  THREAD: (a) => parseThread(a, false),
  FETCH: (a) => parseFetch(a, false),
  STORE: (a) => parseStore(a, false),
  COPY: (a) => parseCopyMove(a, 'COPY', false),
  MOVE: (a) => parseCopyMove(a, 'MOVE', false),
  REPLACE: (a) => parseReplace(a, false),
  GETQUOTA: parseGetQuota,
  GETQUOTAROOT: parseGetQuotaRoot,
  SETQUOTA: parseSetQuota,
  GETMETADATA: parseGetMetadata,
  SETMETADATA: parseSetMetadata,
  SETACL: parseSetAcl,
  DELETEACL: parseDeleteAcl,
  GETACL: (a) => parseMailboxOnly(a, 'GETACL'),
  LISTRIGHTS: parseListRights,
  MYRIGHTS: (a) => parseMailboxOnly(a, 'MYRIGHTS'),
};

const UID_COMMANDS: Record<string, Parser> = {
  SEARCH: (a) => parseSearch(a, true),
  SORT: (a) => parseSort(a, true),
  THREAD: (a) => parseThread(a, true),
  FETCH: (a) => parseFetch(a, true),
  STORE: (a) => parseStore(a, true),
  COPY: (a) => parseCopyMove(a, 'COPY', true),
  MOVE: (a) => parseCopyMove(a, 'MOVE', true),
  REPLACE: (a) => parseReplace(a, true),
  EXPUNGE: parseUidExpunge,
};

export function parseCommand(segments: CommandSegment[], opts: ParseOptions): ParseResult {
  const first = segments[0];
  if (!first || first.kind !== 'text') return bad(null, 'Missing tag');
  const tag = extractTag(first.data);
  if (tag === null) return bad(null, first.data.length === 0 || first.data[0] === 0x20 ? 'Missing tag' : 'Invalid tag');
  const tokens = tokenize(segments, tag.length, opts);
  if (!tokens.ok) return bad(tag, tokens.text);
  const args = new Args(tokens.tokens, { utf8Accept: opts.utf8Accept });
  try {
    if (!args.more()) throw new CommandError('Missing command');
    const nameToken = args.next('command');
    if (nameToken.type !== 'atom') throw new CommandError('Unknown command');
    const name = nameToken.value.toUpperCase();
    let parser = COMMANDS[name];
    if (name === 'UID') {
      if (!args.more()) throw new CommandError('Missing command after UID');
      const sub = args.keyword('command after UID');
      parser = UID_COMMANDS[sub];
      if (!parser) throw new CommandError(`Unknown command UID ${clip(sub)}`);
    }
    if (!parser) throw new CommandError('Unknown command');
    return { ok: true, tag, command: parser(args) };
  } catch (e) {
    if (e instanceof CommandError) return { ok: false, tag, response: e.response, code: e.code, text: e.text };
    // A bug in a parser must not take the connection down: report it as a BAD.
    return bad(tag, 'Internal parser error');
  }
}

function bad(tag: string | null, text: string): ParseResult {
  return { ok: false, tag, response: 'BAD', code: null, text };
}

function parseLogin(args: Args): ImapCommand {
  const user = args.astring('user name');
  const password = args.astring('password');
  args.end();
  return { name: 'LOGIN', user, password };
}

function parseAuthenticate(args: Args): ImapCommand {
  const mechanism = args.keyword('SASL mechanism');
  let initial: string | null = null;
  if (args.more()) {
    // SASL-IR: base64, or "=" for an empty initial response.
    initial = args.astring('initial response');
    if (initial !== '=' && !/^[A-Za-z0-9+/]*={0,2}$/.test(initial)) throw new CommandError('Invalid initial response: not base64');
  }
  args.end();
  return { name: 'AUTHENTICATE', mechanism, initial };
}

function parseEnable(args: Args): ImapCommand {
  if (!args.more()) throw new CommandError('Missing capability to enable');
  const capabilities: string[] = [];
  while (args.more()) capabilities.push(args.keyword('capability'));
  return { name: 'ENABLE', capabilities };
}

function parseCompress(args: Args): ImapCommand {
  const mechanism = args.keyword('compression mechanism');
  args.end();
  return { name: 'COMPRESS', mechanism };
}

/** RFC 2971 limits: at most 30 pairs, keys up to 30 bytes, values up to 1024. */
function parseId(args: Args): ImapCommand {
  const t = args.peek();
  if (t && t.type === 'atom' && t.value.toUpperCase() === 'NIL') {
    args.next('ID parameters');
    args.end();
    return { name: 'ID', params: null };
  }
  const list = args.sub(args.list('ID parameters'));
  // No prototype: a client may send "__proto__" as a field name.
  const params = Object.create(null) as Record<string, string | null>;
  let count = 0;
  while (list.more()) {
    // Strings by the RFC; some clients send atoms, and ID is only informational: accept both.
    const key = list.astring('ID field name');
    if (!list.more()) throw new CommandError('Missing ID field value');
    const value = list.peekAtom() === 'NIL' ? (list.next('ID field value'), null) : list.astring('ID field value');
    if (++count > 30) throw new CommandError('Too many ID fields');
    if (key.length > 30 || (value !== null && value.length > 1024)) throw new CommandError('ID field too long');
    params[key] = value;
  }
  args.end();
  return { name: 'ID', params };
}
