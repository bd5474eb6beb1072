/**
 * Content-Type / Content-Disposition value parsing (RFC 2045, RFC 2183) with RFC 2231
 * parameter continuations. Pure, never throws: what cannot be parsed is dropped.
 *
 * RFC 2231 handling follows Dovecot's BODYSTRUCTURE: continuations `name*0`, `name*1` are
 * joined into `name`; when any piece was extended (`name*`, `name*0*`), the joined parameter is
 * returned as `name*` with value `charset'language'percent-encoded` (the client decodes it).
 * `decodeParamValue` in decode.ts turns such a value into text.
 */

export type MimeParam = [name: string, value: string];

export interface ParsedContentType {
  /** Lowercased, for comparisons. */
  type: string;
  subtype: string;
  /** As written (IMAP BODYSTRUCTURE echoes them as Dovecot does). */
  typeRaw: string;
  subtypeRaw: string;
  params: MimeParam[];
}

export interface ParsedDisposition {
  /** As written. */
  type: string;
  params: MimeParam[];
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code !== 0x7f && !TSPECIALS.includes(c);
}

/** A tiny cursor over a header value with RFC 822 comment skipping. */
class Cursor {
  pos = 0;
  constructor(readonly s: string) {}

  skipCfws(): void {
    for (;;) {
      while (this.pos < this.s.length && /[ \t\r\n]/.test(this.s[this.pos]!)) this.pos++;
      if (this.s[this.pos] !== '(') return;
      let depth = 0;
      while (this.pos < this.s.length) {
        const c = this.s[this.pos++]!;
        if (c === '\\') this.pos++;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
    }
  }

  token(): string {
    const start = this.pos;
    while (this.pos < this.s.length && isTokenChar(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  quoted(): string {
    // At the opening quote; returns the content with quoted-pairs resolved.
    this.pos++;
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++]!;
      if (c === '"') return out;
      if (c === '\\' && this.pos < this.s.length) out += this.s[this.pos++]!;
      else if (c !== '\r' && c !== '\n') out += c;
    }
    return out;
  }

  peek(): string | undefined {
    return this.s[this.pos];
  }
}

/** Parses `; name=value` pairs; tolerant of stray separators and junk between parameters. */
function parseParams(c: Cursor): MimeParam[] {
  const raw: MimeParam[] = [];
  while (c.pos < c.s.length) {
    c.skipCfws();
    if (c.peek() !== ';') {
      // Junk: skip to the next separator.
      const next = c.s.indexOf(';', c.pos);
      if (next === -1) break;
      c.pos = next;
    }
    c.pos++; // ';'
    c.skipCfws();
    const name = c.token();
    if (!name) continue;
    c.skipCfws();
    if (c.peek() !== '=') continue;
    c.pos++;
    c.skipCfws();
    let value: string;
    if (c.peek() === '"') value = c.quoted();
    else {
      // Be lenient like most MUAs: an unquoted value runs to the next ';' or whitespace.
      const start = c.pos;
      while (c.pos < c.s.length && !/[;\s]/.test(c.s[c.pos]!)) c.pos++;
      value = c.s.slice(start, c.pos);
    }
    raw.push([name, value]);
  }
  return mergeRfc2231(raw);
}

function percentEncode(s: string): string {
  return s.replace(/[^A-Za-z0-9!#$&+\-.^_`|~]/g, (ch) =>
    Array.from(Buffer.from(ch, 'utf8'))
      .map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'))
      .join(''),
  );
}

interface Continuation {
  index: number;
  extended: boolean;
  value: string;
}

interface Pieces {
  name: string;
  parts: Continuation[];
  seen: Set<number>;
}

function joinPieces(entry: Pieces): MimeParam {
  const parts = entry.parts.sort((a, b) => a.index - b.index);
  if (!parts.some((p) => p.extended)) return [entry.name, parts.map((p) => p.value).join('')];
  // The first piece carries charset'language'; plain pieces are percent-encoded to match.
  let value = '';
  parts.forEach((p, i) => {
    if (i === 0 && !p.extended) value += "''" + percentEncode(p.value);
    else if (p.extended) value += p.value;
    else value += percentEncode(p.value);
  });
  return [entry.name + '*', value];
}

/**
 * Joins RFC 2231 continuations (`name*0`, `name*1*`, ...) into one parameter placed where its
 * first piece was. Plain parameters are kept as written, duplicates included (as Dovecot does).
 */
export function mergeRfc2231(params: MimeParam[]): MimeParam[] {
  const out: (MimeParam | Pieces)[] = [];
  const pieces = new Map<string, Pieces>();
  for (const [name, value] of params) {
    const m = /^(.+?)\*(?:(\d+)(\*)?)?$/.exec(name);
    if (!m) {
      out.push([name, value]);
      continue;
    }
    const base = m[1]!;
    const key = base.toLowerCase();
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const extended = m[2] === undefined ? true : m[3] === '*';
    let entry = pieces.get(key);
    if (!entry) {
      entry = { name: base, parts: [], seen: new Set() };
      pieces.set(key, entry);
      out.push(entry);
    }
    if (!entry.seen.has(index)) {
      entry.seen.add(index);
      entry.parts.push({ index, extended, value });
    }
  }
  return out.map((item) => (Array.isArray(item) ? item : joinPieces(item)));
}

/**
 * Parses a Content-Type value. Returns null when `type/subtype` is not there: RFC 2045 section
 * 5.2 says to treat such a field as absent (text/plain; charset=us-ascii).
 */
export function parseContentType(value: string): ParsedContentType | null {
  const c = new Cursor(value);
  c.skipCfws();
  const type = c.token();
  c.skipCfws();
  if (!type) return null;
  if (c.peek() !== '/') return null;
  c.pos++;
  c.skipCfws();
  const subtype = c.token();
  if (!subtype) return null;
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), typeRaw: type, subtypeRaw: subtype, params: parseParams(c) };
}

/** Parses a Content-Disposition value. Returns null when there is no disposition type. */
export function parseDisposition(value: string): ParsedDisposition | null {
  const c = new Cursor(value);
  c.skipCfws();
  const type = c.token();
  if (!type) return null;
  return { type, params: parseParams(c) };
}

/** Parses Content-Language: a comma-separated list of language tags. */
export function parseLanguage(value: string): string[] | null {
  const c = new Cursor(value);
  const out: string[] = [];
  while (c.pos < c.s.length) {
    c.skipCfws();
    const tag = c.token();
    if (tag) out.push(tag);
    c.skipCfws();
    if (c.pos < c.s.length) c.pos++; // ',' or junk
  }
  return out.length > 0 ? out : null;
}

/** Parses a single-token value such as Content-Transfer-Encoding (comments skipped); null if invalid. */
export function parseTokenValue(value: string): string | null {
  const c = new Cursor(value);
  c.skipCfws();
  const t = c.token();
  c.skipCfws();
  // Anything after the token makes the field invalid (Dovecot then reports the default).
  return t && c.pos >= c.s.length ? t : null;
}

/** Parameter lookup, case-insensitive on the name. */
export function paramValue(params: readonly MimeParam[], name: string): string | null {
  const l = name.toLowerCase();
  for (const [n, v] of params) if (n.toLowerCase() === l) return v;
  return null;
}
