/**
 * Second parse stage helpers: a cursor over generic tokens with typed readers (astring,
 * number, sequence set, mailbox, flags, dates). Readers throw CommandError, which
 * parseCommand turns into a BAD/NO result; nothing escapes to the session.
 */
import type { SeqSet, SeqRange } from '../../../core/search/criteria.ts';
import type { Token } from './tokenizer.ts';
import { decodeUtf8 } from './tokenizer.ts';
import { decodeMutf7 } from './mutf7.ts';

export class CommandError {
  constructor(
    readonly text: string,
    readonly response: 'BAD' | 'NO' = 'BAD',
    readonly code: string | null = null,
  ) {}
}

export interface ArgsContext {
  utf8Accept: boolean;
}

const MAX_UINT32 = 4294967295;
/** MODSEQ values are 63-bit; JS numbers are exact to 2^53, which no real server reaches. */
const MAX_MODSEQ = Number.MAX_SAFE_INTEGER;

export class Args {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    readonly ctx: ArgsContext,
  ) {}

  more(): boolean {
    return this.i < this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** Upper-cased atom at the cursor without consuming it, or null. */
  peekAtom(): string | null {
    const t = this.tokens[this.i];
    return t && t.type === 'atom' ? t.value.toUpperCase() : null;
  }

  next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw new CommandError(`Missing ${what}`);
    this.i++;
    return t;
  }

  /** No more arguments allowed. */
  end(): void {
    if (this.more()) throw new CommandError('Unexpected extra arguments');
  }

  atom(what: string): string {
    const t = this.next(what);
    if (t.type !== 'atom') throw new CommandError(`Invalid ${what}: expected an atom`);
    return t.value;
  }

  /** An atom compared case-insensitively: returned upper-cased. */
  keyword(what: string): string {
    return this.atom(what).toUpperCase();
  }

  list(what: string): Token[] {
    const t = this.next(what);
    if (t.type !== 'list') throw new CommandError(`Invalid ${what}: expected a parenthesized list`);
    return t.items;
  }

  sub(tokens: Token[]): Args {
    return new Args(tokens, this.ctx);
  }

  /** A quoted string or literal (decoded as UTF-8). */
  string(what: string): string {
    const t = this.next(what);
    if (t.type === 'quoted') return t.value;
    if (t.type === 'literal') return literalText(t.value, what);
    throw new CommandError(`Invalid ${what}: expected a string`);
  }

  astring(what: string): string {
    const t = this.next(what);
    return tokenAstring(t, what);
  }

  /** nstring: NIL (atom) gives null. */
  nstring(what: string): string | null {
    const t = this.peek();
    if (t && t.type === 'atom' && t.value.toUpperCase() === 'NIL') {
      this.i++;
      return null;
    }
    return this.string(what);
  }

  number(what: string, max = MAX_UINT32): number {
    return parseNumber(this.atom(what), what, max);
  }

  nzNumber(what: string): number {
    const n = this.number(what);
    if (n === 0) throw new CommandError(`Invalid ${what}: must not be 0`);
    return n;
  }

  modseq(what: string): number {
    return parseNumber(this.atom(what), what, MAX_MODSEQ);
  }

  seqSet(what = 'sequence set'): SeqSet {
    return parseSeqSet(this.atom(what), what);
  }

  mailbox(what = 'mailbox name'): string {
    return decodeMailbox(this.astring(what), this.ctx.utf8Accept, what);
  }
}

export function literalText(bytes: Buffer, what: string): string {
  const text = decodeUtf8(bytes);
  if (text === null) throw new CommandError(`Invalid ${what}: not UTF-8`);
  return text;
}

export function tokenAstring(t: Token, what: string): string {
  if (t.type === 'atom') return t.value;
  if (t.type === 'quoted') return t.value;
  if (t.type === 'literal') return literalText(t.value, what);
  if (t.type === 'section' && t.raw !== null) return t.raw;
  throw new CommandError(`Invalid ${what}: expected a string`);
}

export function parseNumber(text: string, what: string, max = MAX_UINT32): number {
  if (!/^[0-9]{1,20}$/.test(text)) throw new CommandError(`Invalid ${what}: expected a number`);
  const n = Number(text);
  if (n > max) throw new CommandError(`Invalid ${what}: number too big`);
  return n;
}

/** `1:3,5,7:*`; 0, negatives, empty parts and garbage are errors. */
export function parseSeqSet(text: string, what = 'sequence set'): SeqSet {
  // SEARCHRES (RFC 5182): `$` alone stands for the saved search result.
  if (text === '$') return Object.assign([] as SeqRange[], { saved: true as const });
  const out: SeqSet = [];
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    const range: SeqRange =
      colon < 0
        ? { start: seqNumber(part, what), end: seqNumber(part, what) }
        : { start: seqNumber(part.slice(0, colon), what), end: seqNumber(part.slice(colon + 1), what) };
    out.push(range);
  }
  return out;
}

function seqNumber(text: string, what: string): number | '*' {
  if (text === '*') return '*';
  if (text === '$') throw new CommandError(`Invalid ${what}: $ must stand alone`);
  if (!/^[0-9]{1,10}$/.test(text)) throw new CommandError(`Invalid ${what}: "${clip(text)}"`);
  const n = Number(text);
  if (n === 0 || n > MAX_UINT32) throw new CommandError(`Invalid ${what}: ${n} is out of range`);
  return n;
}

/** Client text echoed in an error, shortened and stripped of anything unprintable. */
export function clip(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 40 ? safe.slice(0, 40) + '...' : safe;
}

/** A wire mailbox name to UTF-8: modified UTF-7 unless UTF8=ACCEPT; INBOX in any case is INBOX. */
export function decodeMailbox(wire: string, utf8Accept: boolean, what = 'mailbox name'): string {
  const name = utf8Accept ? wire : decodeMutf7(wire);
  if (name === null) throw new CommandError(`Invalid ${what}: bad modified UTF-7`);
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

const SYSTEM_FLAGS = new Map(
  ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((f) => [f.toUpperCase(), f]),
);
const ATOM_SPECIALS = /[(){ %*"\\\]\x00-\x1f\x7f-\uffff]/;

/** A flag: system flags get their canonical case; keywords must be atoms. */
export function parseFlag(t: Token, what = 'flag'): string {
  if (t.type !== 'atom') throw new CommandError(`Invalid ${what}: expected an atom`);
  const v = t.value;
  if (v.startsWith('\\')) {
    const system = SYSTEM_FLAGS.get(v.toUpperCase());
    if (system) return system;
    if (v.length < 2 || ATOM_SPECIALS.test(v.slice(1))) throw new CommandError(`Invalid ${what}: ${clip(v)}`);
    return v; // flag-extension
  }
  if (ATOM_SPECIALS.test(v)) throw new CommandError(`Invalid ${what}: ${clip(v)}`);
  return v;
}

export function parseFlagList(items: Token[]): string[] {
  return items.map((t) => parseFlag(t));
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** SEARCH date `d-Mon-yyyy` (atom or quoted) to `YYYY-MM-DD`. */
export function parseSearchDate(t: Token, what = 'date'): string {
  if (t.type !== 'atom' && t.type !== 'quoted') throw new CommandError(`Invalid ${what}`);
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(t.value);
  const month = m ? MONTHS.indexOf(m[2]!.toUpperCase()) : -1;
  if (!m || month < 0) throw new CommandError(`Invalid ${what}: expected d-Mon-yyyy`);
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) throw new CommandError(`Invalid ${what}: no such day`);
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** APPEND date-time `"dd-Mon-yyyy hh:mm:ss +zzzz"` (day may be space-padded). */
export function parseDateTime(t: Token, what = 'date-time'): Date {
  if (t.type !== 'quoted') throw new CommandError(`Invalid ${what}: expected a quoted date-time`);
  const m = /^([ 0-9]?[0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/.exec(
    t.value,
  );
  const month = m ? MONTHS.indexOf(m[2]!.toUpperCase()) : -1;
  if (!m || month < 0) throw new CommandError(`Invalid ${what}: expected "dd-Mon-yyyy hh:mm:ss +zzzz"`);
  const day = Number(m[1]!.trim());
  const year = Number(m[3]);
  const [h, min, s, zh, zm] = [m[4], m[5], m[6], m[8], m[9]].map(Number) as [number, number, number, number, number];
  if (day < 1 || day > daysInMonth(year, month) || h > 23 || min > 59 || s > 60 || zh > 23 || zm > 59) {
    throw new CommandError(`Invalid ${what}: out of range`);
  }
  const offset = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
  return new Date(Date.UTC(year, month, day, h, min, Math.min(s, 59)) - offset * 60_000);
}
