/**
 * RFC 5322 address-list parsing for IMAP ENVELOPE, lenient like Dovecot's: display names keep
 * encoded words as written, a comment after a bare addr-spec becomes the name, groups are
 * reported with start and end markers, a missing local part or domain is filled with
 * MISSING_MAILBOX / MISSING_DOMAIN so that a NIL host only ever means a group marker.
 */

export interface ParsedAddress {
  kind: 'mailbox';
  name: string | null;
  /** Source route (obsolete), e.g. `@a.example,@b.example`. */
  route: string | null;
  mailbox: string;
  host: string;
}
export interface GroupStart {
  kind: 'group-start';
  name: string;
}
export interface GroupEnd {
  kind: 'group-end';
}
export type AddressItem = ParsedAddress | GroupStart | GroupEnd;

export const MISSING_MAILBOX = 'MISSING_MAILBOX';
export const MISSING_DOMAIN = 'MISSING_DOMAIN';

type Token =
  | { t: 'atom'; v: string }
  | { t: 'quoted'; v: string }
  | { t: 'comment'; v: string }
  | { t: 'literal'; v: string }
  | { t: 'special'; v: string };

const SPECIALS = '()<>@,;:\\".[]';

// Per-char class for the tokenizer: 1 whitespace, 2 special, 0 atom text.
const CLASS = new Uint8Array(128);
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = 1;
for (const c of SPECIALS) CLASS[c.charCodeAt(0)] = 2;

function charClass(code: number): number {
  return code < 128 ? CLASS[code]! : 0;
}

/** Content of a quoted string or comment from `i` (after the opener): quoted-pairs resolved. */
function readDelimited(s: string, i: number, close: number, nests: boolean): { v: string; next: number } {
  const parts: string[] = [];
  let depth = 1;
  let from = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      // quoted-pair: keep the next char, drop the backslash
      parts.push(s.slice(from, i));
      from = i + 1;
      i += 2;
      continue;
    }
    if (nests && c === 0x28) depth++;
    else if (c === close && --depth === 0) {
      parts.push(s.slice(from, i));
      return { v: parts.join(''), next: i + 1 };
    }
    i++;
  }
  parts.push(s.slice(from));
  return { v: parts.join(''), next: s.length };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    const cls = charClass(code);
    if (cls === 1) {
      i++;
    } else if (code === 0x22) {
      const r = readDelimited(s, i + 1, 0x22, false);
      out.push({ t: 'quoted', v: r.v.replace(/\r?\n/g, '') });
      i = r.next;
    } else if (code === 0x28) {
      const r = readDelimited(s, i + 1, 0x29, true);
      out.push({ t: 'comment', v: r.v.trim() });
      i = r.next;
    } else if (code === 0x5b) {
      const close = s.indexOf(']', i);
      const stop = close === -1 ? s.length : close + 1;
      out.push({ t: 'literal', v: s.slice(i, stop) });
      i = stop;
    } else if (cls === 2) {
      out.push({ t: 'special', v: s[i]! });
      i++;
    } else {
      const start = i;
      while (i < s.length && charClass(s.charCodeAt(i)) === 0) i++;
      out.push({ t: 'atom', v: s.slice(start, i) });
    }
  }
  return out;
}

function isSpecial(tok: Token | undefined, v: string): boolean {
  return tok !== undefined && tok.t === 'special' && tok.v === v;
}

/** Phrase words joined by one space; a '.' sticks to the word before it ("John Q. Public"). */
function phraseText(tokens: Token[]): string {
  let out = '';
  for (const tok of tokens) {
    if (tok.t === 'comment') continue;
    if (tok.t === 'special' && tok.v === '.') {
      out += '.';
      continue;
    }
    if (tok.t === 'special') continue;
    out += (out ? ' ' : '') + tok.v;
  }
  return out.trim();
}

/** Splits addr-spec tokens at the last '@' into local part and domain, without spaces. */
function addrSpec(tokens: Token[]): { mailbox: string; host: string } {
  const words = tokens.filter((t) => t.t !== 'comment');
  let at = -1;
  for (let i = words.length - 1; i >= 0; i--) if (isSpecial(words[i], '@')) (at = i), (i = -1);
  const join = (ts: Token[]) => ts.map((t) => t.v).join('');
  const local = join(at === -1 ? words : words.slice(0, at));
  // The domain is a dot-atom (or literal); junk after it is dropped, as Dovecot does.
  let domain = '';
  if (at !== -1) {
    const rest = words.slice(at + 1);
    let i = 0;
    while (i < rest.length) {
      const tok = rest[i]!;
      const wantWord = i % 2 === 0;
      if (wantWord ? tok.t === 'special' : !isSpecial(tok, '.')) break;
      domain += tok.v;
      i++;
    }
  }
  return { mailbox: local || MISSING_MAILBOX, host: domain || MISSING_DOMAIN };
}

class Parser {
  pos = 0;
  out: AddressItem[] = [];
  constructor(readonly toks: Token[]) {}

  /** Reads tokens up to (not including) one of the given specials. */
  until(stops: string): Token[] {
    const start = this.pos;
    while (this.pos < this.toks.length) {
      const tok = this.toks[this.pos]!;
      if (tok.t === 'special' && stops.includes(tok.v)) break;
      this.pos++;
    }
    return this.toks.slice(start, this.pos);
  }

  /** One mailbox or group; `inGroup` stops at ';'. */
  item(inGroup: boolean): void {
    const stops = inGroup ? '<,;' : '<,:;';
    const lead = this.until(stops);
    const next = this.toks[this.pos];
    if (isSpecial(next, ':') && !inGroup) {
      this.pos++;
      this.out.push({ kind: 'group-start', name: phraseText(lead) });
      while (this.pos < this.toks.length && !isSpecial(this.toks[this.pos], ';')) {
        if (isSpecial(this.toks[this.pos], ',')) this.pos++;
        else this.item(true);
      }
      if (isSpecial(this.toks[this.pos], ';')) this.pos++;
      this.out.push({ kind: 'group-end' });
      return;
    }
    if (isSpecial(next, '<')) {
      this.pos++;
      const inner = this.until('>');
      if (isSpecial(this.toks[this.pos], '>')) this.pos++;
      this.until(inGroup ? ',;' : ','); // comments or junk after '>'
      let route: string | null = null;
      let spec = inner;
      const colon = inner.findIndex((t) => isSpecial(t, ':'));
      if (colon !== -1 && isSpecial(inner[0], '@')) {
        route = inner
          .slice(0, colon)
          .filter((t) => t.t !== 'comment')
          .map((t) => t.v)
          .join('');
        spec = inner.slice(colon + 1);
      }
      const name = phraseText(lead);
      const { mailbox, host } = addrSpec(spec);
      // `<>` gives MISSING_MAILBOX@MISSING_DOMAIN, as in Dovecot.
      this.out.push({ kind: 'mailbox', name: name || null, route, mailbox, host });
      return;
    }
    // A bare addr-spec; a trailing comment is the name, as in `user@host (Real Name)`.
    const words = lead.filter((t) => t.t !== 'comment');
    if (words.length === 0) {
      // Only comments: skip the separator (a group's ';' belongs to the group loop).
      const tok = this.toks[this.pos];
      if (tok && !(inGroup && isSpecial(tok, ';'))) this.pos++;
      return;
    }
    const comments = lead.filter((t) => t.t === 'comment' && t.v);
    const { mailbox, host } = addrSpec(lead);
    const name = comments.length > 0 ? comments[comments.length - 1]!.v : null;
    this.out.push({ kind: 'mailbox', name, route: null, mailbox, host });
    if (isSpecial(this.toks[this.pos], ':') || (isSpecial(this.toks[this.pos], ';') && !inGroup)) this.pos++;
  }

  all(): AddressItem[] {
    while (this.pos < this.toks.length) {
      if (isSpecial(this.toks[this.pos], ',')) this.pos++;
      else this.item(false);
    }
    return this.out;
  }
}

/** Parses an unfolded address-list header value. Never throws; junk yields fewer items. */
export function parseAddressList(value: string): AddressItem[] {
  return new Parser(tokenize(value)).all();
}
