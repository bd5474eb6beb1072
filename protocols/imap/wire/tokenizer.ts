/**
 * First parse stage: a framed command (text lines and the literals between them) becomes a
 * tree of generic tokens. It knows IMAP's lexical rules only (atoms, quoted strings, literals,
 * parenthesized lists, `BODY[...]<...>` sections) and nothing of commands.
 * Errors are returned, never thrown out of tokenize().
 */

/** What the receiver frames: text (the literal announce still at its end) and literals. */
export type CommandSegment = { kind: 'text'; data: Buffer } | { kind: 'literal'; data: Buffer; binary: boolean };

export type Token =
  /** Atoms, numbers, sequence sets, NIL, flags (`\Seen`): kept as sent. */
  | { type: 'atom'; value: string }
  | { type: 'quoted'; value: string }
  | { type: 'literal'; value: Buffer; binary: boolean }
  | { type: 'list'; items: Token[] }
  /**
   * `BODY[...]`, `BODY.PEEK[...]`, `BINARY[...]`...: name before '[', tokens inside the brackets,
   * `<...>` text after them; raw is the source text when it lies in one line (for an astring
   * such as a mailbox that happens to be named `body[x]`).
   */
  | { type: 'section'; name: string; items: Token[]; partial: string | null; raw: string | null };

export interface TokenizeOptions {
  utf8Accept: boolean;
  nestingDepth: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; text: string };

const SECTION_NAMES = new Set(['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.PEEK', 'BINARY.SIZE']);
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

class TokenError {
  constructor(readonly text: string) {}
}

/** Decode bytes that must be UTF-8; null when they are not. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Tokenize `segments` starting at byte `offset` of the first (text) segment. */
export function tokenize(segments: CommandSegment[], offset: number, opts: TokenizeOptions): TokenizeResult {
  try {
    const t = new Tokenizer(segments, offset, opts);
    return { ok: true, tokens: t.list(0, null) };
  } catch (e) {
    if (e instanceof TokenError) return { ok: false, text: e.text };
    throw e;
  }
}

class Tokenizer {
  private seg = 0;
  private data: Buffer;

  constructor(
    private readonly segments: CommandSegment[],
    private pos: number,
    private readonly opts: TokenizeOptions,
  ) {
    this.data = segments[0]!.data;
  }

  /** Tokens up to `closer` (consumed) or the end of the command when closer is null. */
  list(depth: number, closer: ')' | ']' | null): Token[] {
    const items: Token[] = [];
    for (;;) {
      while (this.pos < this.data.length && this.data[this.pos] === 0x20) this.pos++;
      if (this.pos >= this.data.length) {
        if (closer === ')') throw new TokenError('Missing ")"');
        if (closer === ']') throw new TokenError('Missing "]"');
        return items;
      }
      const c = this.data[this.pos]!;
      if (c === 0x28 /* ( */) {
        if (depth + 1 > this.opts.nestingDepth) throw new TokenError('Too deep nesting of parentheses');
        this.pos++;
        items.push({ type: 'list', items: this.list(depth + 1, ')') });
      } else if (c === 0x29 /* ) */) {
        if (closer !== ')') throw new TokenError('Unexpected ")"');
        this.pos++;
        return items;
      } else if (c === 0x5d /* ] */ && closer === ']') {
        this.pos++;
        return items;
      } else if (c === 0x22 /* " */) {
        items.push({ type: 'quoted', value: this.quoted() });
      } else if (c === 0x7b /* { */ || (c === 0x7e /* ~ */ && this.data[this.pos + 1] === 0x7b)) {
        items.push(this.literal());
      } else {
        items.push(this.atomOrSection(depth, closer));
      }
    }
  }

  private quoted(): string {
    const start = ++this.pos;
    const bytes: number[] = [];
    let eightBit = false;
    while (this.pos < this.data.length) {
      const b = this.data[this.pos++]!;
      if (b === 0x22) {
        if (!eightBit) return this.data.toString('latin1', start, this.pos - 1).replace(/\\(["\\])/g, '$1');
        // 8-bit: valid UTF-8 is accepted (clients send it for SEARCH CHARSET UTF-8).
        const text = decodeUtf8(Uint8Array.from(bytes));
        if (text === null) throw new TokenError('Invalid UTF-8 in quoted string');
        return text;
      }
      if (b === 0x5c /* \ */) {
        const next = this.data[this.pos];
        if (next !== 0x22 && next !== 0x5c) throw new TokenError('Invalid escape in quoted string');
        bytes.push(next);
        this.pos++;
        continue;
      }
      if (b === 0 || b === 0x0d || b === 0x0a) throw new TokenError('Invalid character in quoted string');
      if (b >= 0x80) eightBit = true;
      bytes.push(b);
    }
    throw new TokenError('Unterminated quoted string');
  }

  private literal(): Token {
    const binary = this.data[this.pos] === 0x7e;
    const close = this.data.indexOf(0x7d /* } */, this.pos);
    if (close !== this.data.length - 1) throw new TokenError('Literal must end the line');
    const next = this.segments[this.seg + 1];
    const after = this.segments[this.seg + 2];
    if (!next || next.kind !== 'literal' || !after || after.kind !== 'text') {
      throw new TokenError('Invalid literal');
    }
    if (!binary && next.data.includes(0)) throw new TokenError('NUL in literal');
    this.seg += 2;
    this.data = after.data;
    this.pos = 0;
    return { type: 'literal', value: next.data, binary };
  }

  private atomOrSection(depth: number, closer: ')' | ']' | null): Token {
    const start = this.pos;
    let eightBit = false;
    while (this.pos < this.data.length) {
      const b = this.data[this.pos]!;
      if (b === 0x20 || b === 0x28 || b === 0x29 || b === 0x22 || b === 0x7b) break;
      if (b === 0x5d && closer === ']') break;
      if (b < 0x20 || b === 0x7f) throw new TokenError('Invalid character in command');
      if (b >= 0x80) {
        if (!this.opts.utf8Accept) throw new TokenError('8-bit character in atom');
        eightBit = true;
      }
      if (b === 0x5b /* [ */) {
        const name = this.data.toString('latin1', start, this.pos).toUpperCase();
        if (SECTION_NAMES.has(name)) return this.section(name, start, depth);
      }
      this.pos++;
    }
    const bytes = this.data.subarray(start, this.pos);
    const value = eightBit ? decodeUtf8(bytes) : bytes.toString('latin1');
    if (value === null) throw new TokenError('Invalid UTF-8 in atom');
    return { type: 'atom', value };
  }

  private section(name: string, start: number, depth: number): Token {
    const segBefore = this.seg;
    this.pos++; // '['
    if (depth + 1 > this.opts.nestingDepth) throw new TokenError('Too deep nesting of parentheses');
    const items = this.list(depth + 1, ']');
    let partial: string | null = null;
    if (this.data[this.pos] === 0x3c /* < */) {
      const close = this.data.indexOf(0x3e /* > */, this.pos);
      if (close < 0) throw new TokenError('Missing ">" in partial');
      partial = this.data.toString('latin1', this.pos + 1, close);
      this.pos = close + 1;
    }
    const b = this.data[this.pos];
    if (b !== undefined && b !== 0x20 && b !== 0x29 && b !== 0x28) throw new TokenError('Invalid text after section');
    const raw = this.seg === segBefore ? this.data.toString('utf8', start, this.pos) : null;
    return { type: 'section', name, items, partial, raw };
  }
}
