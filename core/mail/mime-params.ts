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

/** Joins RFC 2231 continuations; keeps first-seen order of parameter names. */
export function mergeRfc2231(params: MimeParam[]): MimeParam[] {
  const order: string[] = [];
  const plain = new Map<string, MimeParam>();
  const pieces = new Map<string, { name: string; parts: Continuation[] }>();
  for (const [name, value] of params) {
    const m = /^(.+?)\*(?:(\d+)(\*)?)?$/.exec(name);
    if (!m) {
      const key = name.toLowerCase();
      if (!plain.has(key) && !pieces.has(key)) order.push(key);
      if (!plain.has(key)) plain.set(key, [name, value]);
      continue;
    }
    const base = m[1]!;
    const key = base.toLowerCase();
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const extended = m[2] === undefined ? true : m[3] === '*';
    let entry = pieces.get(key);
    if (!entry) {
      if (!plain.has(key)) order.push(key);
      entry = { name: base, parts: [] };
      pieces.set(key, entry);
    }
    if (!entry.parts.some((p) => p.index === index)) entry.parts.push({ index, extended, value });
  }
  const out: MimeParam[] = [];
  for (const key of order) {
    const entry = pieces.get(key);
    if (!entry) {
      out.push(plain.get(key)!);
      continue;
    }
    // An RFC 2231 form wins over a plain parameter of the same name.
    const parts = entry.parts.sort((a, b) => a.index - b.index);
    const anyExtended = parts.some((p) => p.extended);
    if (!anyExtended) {
      out.push([entry.name, parts.map((p) => p.value).join('')]);
      continue;
    }
    // The first piece carries charset'language'; later plain pieces are percent-encoded.
    let value = '';
    parts.forEach((p, i) => {
      if (i === 0 && !p.extended) value += "''" + percentEncode(p.value);
      else if (p.extended) value += p.value;
      else value += percentEncode(p.value);
    });
    out.push([entry.name + '*', value]);
  }
  return out;
}

/**
 * Parses a Content-Type value. Returns null when there is no type token. A type without
 * `/subtype` gets an empty subtype, as Dovecot reports it.
 */
export function parseContentType(value: string): ParsedContentType | null {
  const c = new Cursor(value);
  c.skipCfws();
  const type = c.token();
  c.skipCfws();
  if (!type) return null;
  let subtype = '';
  if (c.peek() === '/') {
    c.pos++;
    c.skipCfws();
    subtype = c.token();
  }
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

/** Parses a single token value such as Content-Transfer-Encoding (comments skipped). */
export function parseTokenValue(value: string): string | null {
  const c = new Cursor(value);
  c.skipCfws();
  const t = c.token();
  return t || null;
}

/** Parameter lookup, case-insensitive on the name. */
export function paramValue(params: readonly MimeParam[], name: string): string | null {
  const l = name.toLowerCase();
  for (const [n, v] of params) if (n.toLowerCase() === l) return v;
  return null;
}
