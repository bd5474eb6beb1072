/**
 * IMAP response writers: each returns the exact bytes to send. Strings choose quoted or literal
 * form by content, so ENVELOPE/BODYSTRUCTURE trees (ImapValue) serialize without special cases.
 */
import type { ImapValue } from '../../../core/mail/types.ts';
import type { SeqSet } from '../../../core/search/criteria.ts';
import { encodeMutf7 } from './mutf7.ts';

/** Written verbatim (flag names, keywords like `NIL`-free atoms, section labels). */
export interface WireAtom {
  atom: string;
}
/** ImapValue plus atoms, for building any response list. */
export type WireValue = ImapValue | WireAtom | WireValue[];

/** Strings longer than this go as literals even when quoting would be legal. */
export const MAX_QUOTED_LENGTH = 1024;

export interface SerializeOptions {
  /** UTF8=ACCEPT enabled: valid UTF-8 may be sent in quoted strings. */
  utf8?: boolean;
}

const CRLF = Buffer.from('\r\n');

export function atom(text: string): WireAtom {
  return { atom: text };
}

function isAtom(v: unknown): v is WireAtom {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && 'atom' in v;
}

/** True when these bytes may be sent inside double quotes. */
function quotable(bytes: Buffer, utf8: boolean): boolean {
  if (bytes.length > MAX_QUOTED_LENGTH) return false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0 || b === 0x0d || b === 0x0a) return false;
    if (b >= 0x80 && !utf8) return false;
  }
  return true;
}

/** A string or bytes as `"quoted"` when safe, `{n}\r\n...` otherwise. */
export function serializeString(value: string | Buffer, opts: SerializeOptions = {}): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  // Buffers may hold any charset: only a string is known to be UTF-8.
  if (quotable(bytes, opts.utf8 === true && typeof value === 'string')) {
    const escaped = bytes.toString('latin1').replace(/["\\]/g, (c) => '\\' + c);
    return Buffer.from('"' + escaped + '"', 'latin1');
  }
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}

/** NIL, numbers, strings, atoms and parenthesized lists, recursively. */
export function serializeValue(v: WireValue, opts: SerializeOptions = {}): Buffer {
  const parts: Buffer[] = [];
  writeValue(v, opts, parts);
  return Buffer.concat(parts);
}

function writeValue(v: WireValue, opts: SerializeOptions, parts: Buffer[]): void {
  if (v === null) parts.push(Buffer.from('NIL'));
  else if (typeof v === 'number') parts.push(Buffer.from(String(Math.trunc(v))));
  else if (typeof v === 'string' || Buffer.isBuffer(v)) parts.push(serializeString(v, opts));
  else if (isAtom(v)) parts.push(Buffer.from(v.atom, 'utf8'));
  else {
    parts.push(Buffer.from('('));
    // RFC 3501: a leading run of nested lists (addresses, multipart bodies) has no spaces.
    let leading = 0;
    while (leading < v.length && Array.isArray(v[leading])) leading++;
    v.forEach((item, i) => {
      if (i > 0 && i >= leading) parts.push(Buffer.from(' '));
      writeValue(item, opts, parts);
    });
    parts.push(Buffer.from(')'));
  }
}

/** `(\Seen \Answered $Label1)`. */
export function flagList(flags: readonly string[]): string {
  return '(' + flags.join(' ') + ')';
}

export type TaggedStatus = 'OK' | 'NO' | 'BAD';
export type UntaggedStatus = TaggedStatus | 'BYE' | 'PREAUTH';

function statusLine(prefix: string, status: string, text: string, code?: string | null): Buffer {
  const codePart = code ? `[${code}] ` : '';
  return Buffer.from(`${prefix} ${status} ${codePart}${text}\r\n`, 'utf8');
}

/** `A1 OK [READ-WRITE] SELECT completed\r\n`. */
export function tagged(tag: string, status: TaggedStatus, text: string, code?: string | null): Buffer {
  return statusLine(tag, status, text, code);
}

/** `* OK [UIDVALIDITY 3] UIDs valid\r\n`, `* BYE Logging out\r\n`. */
export function untaggedStatus(status: UntaggedStatus, text: string, code?: string | null): Buffer {
  return statusLine('*', status, text, code);
}

/** `* <content>\r\n` for data responses: `untagged('3 EXISTS')`, `untagged(['SEARCH', 1, 2])`. */
export function untagged(content: string | Buffer | WireValue[], opts: SerializeOptions = {}): Buffer {
  if (typeof content === 'string') return Buffer.from(`* ${content}\r\n`, 'utf8');
  if (Buffer.isBuffer(content)) return Buffer.concat([Buffer.from('* '), content, CRLF]);
  // A top-level array is a space-separated sequence, not a parenthesized list.
  const parts: Buffer[] = [Buffer.from('* ')];
  content.forEach((item, i) => {
    if (i > 0) parts.push(Buffer.from(' '));
    writeValue(item, opts, parts);
  });
  parts.push(CRLF);
  return Buffer.concat(parts);
}

/** `+ Ready for literal data\r\n`. */
export function continuation(text = 'Ready for literal data'): Buffer {
  return Buffer.from(`+ ${text}\r\n`, 'utf8');
}

/**
 * `* 12 FETCH (UID 7 FLAGS (\Seen) BODY[] {5}\r\n...)`: items are name/value pairs; the name is
 * written verbatim, the value by serializeValue (use atom() for flag lists and such).
 */
export function fetchResponse(seq: number, items: Array<[string, WireValue]>, opts: SerializeOptions = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`* ${seq} FETCH (`)];
  items.forEach(([name, value], i) => {
    parts.push(Buffer.from((i > 0 ? ' ' : '') + name + ' ', 'utf8'));
    writeValue(value, opts, parts);
  });
  parts.push(Buffer.from(')\r\n'));
  return Buffer.concat(parts);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * IMAP date-time without quotes: `17-Jul-1996 02:44:25 -0700`. `offsetMinutes` is the zone to
 * show (east of UTC positive); the instant is the same whatever the zone.
 */
export function formatDateTime(date: Date | number, offsetMinutes = 0): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const local = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const day = local.getUTCDate();
  return (
    `${pad2(day)}-${MONTHS[local.getUTCMonth()]}-${String(local.getUTCFullYear()).padStart(4, '0')} ` +
    `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())} ` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

/**
 * Compact UIDs into a sequence set, keeping the given order (COPYUID pairs source and
 * destination sets by position): ascending runs collapse, `[1,2,3,5]` -> `1:3,5`.
 */
export function compactSeqSet(numbers: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    const start = numbers[i]!;
    let end = start;
    while (i + 1 < numbers.length && numbers[i + 1] === end + 1) end = numbers[++i]!;
    out.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return out.join(',');
}

/** A parsed SeqSet back to wire form: `1:3,5,7:*`. */
export function formatSeqSet(set: SeqSet): string {
  return set.map((r) => (r.start === r.end ? String(r.start) : `${r.start}:${r.end}`)).join(',');
}

/** A mailbox name as a wire string: modified UTF-7 unless UTF8=ACCEPT is on. */
export function serializeMailbox(name: string, opts: SerializeOptions = {}): Buffer {
  return serializeString(opts.utf8 ? name : encodeMutf7(name), opts);
}
