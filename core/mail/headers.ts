/**
 * RFC 5322 header block parsing over raw bytes. Pure, never throws: a line without a colon is
 * skipped (as Dovecot does), a header without the blank line ends where the entity ends.
 * Both CRLF and bare LF line ends are accepted.
 * Results hold only strings, numbers and offsets (no Buffers), so a parsed tree can cross a
 * worker boundary or be cached as JSON without dragging the message bytes along.
 */
import { isUtf8 } from 'node:buffer';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/** Where one field sits, without its value decoded. */
export interface HeaderFieldSpan {
  /** Field name as written. */
  name: string;
  /** Field name lowercased, for lookups. */
  lname: string;
  /** Byte offsets of the whole field: first byte of the name to just after its last line end. */
  start: number;
  end: number;
  /** Offsets of the value bytes: after the colon up to (not including) the final line end. */
  valueStart: number;
  valueEnd: number;
}

export interface HeaderField extends HeaderFieldSpan {
  /** Unfolded value without leading whitespace (trailing kept, as Dovecot does); UTF-8 when the bytes are valid UTF-8, else Latin-1 (byte per char). */
  value: string;
  /** False when the value had 8-bit bytes that are not valid UTF-8 (value is then Latin-1). */
  utf8: boolean;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset just after the last field (where the blank line starts, if any). */
  headerEnd: number;
  /** Offset after the blank line; equals `limit` when the header never ended. */
  bodyStart: number;
}

/** Offset after the line end of the line that contains `pos` (or `limit`). */
export function nextLine(raw: Buffer, pos: number, limit: number): number {
  const lf = raw.indexOf(LF, pos);
  return lf === -1 || lf >= limit ? limit : lf + 1;
}

/** Removes CRLF/LF that precede whitespace (RFC 5322 unfolding) and any stray line ends. */
export function unfold(s: string): string {
  return s.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n/g, '');
}

/** Decodes header bytes: UTF-8 when valid, else one char per byte. */
export function bytesToString(bytes: Buffer): { text: string; utf8: boolean } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), utf8: true };
  return { text: bytes.toString('latin1'), utf8: false };
}

/**
 * The fields of the header block that starts at `start` (up to `limit`), as byte spans only:
 * what a caller that copies or filters fields needs, without decoding every value.
 */
export function scanHeaderFields(raw: Buffer, start: number, limit: number): { fields: HeaderFieldSpan[]; headerEnd: number; bodyStart: number } {
  const fields: HeaderFieldSpan[] = [];
  let pos = start;
  while (pos < limit) {
    // Blank line: end of header.
    if (raw[pos] === LF) return { fields, headerEnd: pos, bodyStart: pos + 1 };
    if (raw[pos] === CR && pos + 1 < limit && raw[pos + 1] === LF) {
      return { fields, headerEnd: pos, bodyStart: pos + 2 };
    }
    if (raw[pos] === CR && pos + 1 === limit) return { fields, headerEnd: pos, bodyStart: limit };
    const fieldStart = pos;
    let end = nextLine(raw, pos, limit);
    // Continuation lines begin with whitespace.
    while (end < limit && (raw[end] === SP || raw[end] === TAB)) end = nextLine(raw, end, limit);
    pos = end;
    if (raw[fieldStart] === SP || raw[fieldStart] === TAB) continue; // stray continuation
    // Search this field only: a scan to the end of the message per line would be quadratic.
    const rel = raw.subarray(fieldStart, end).indexOf(COLON);
    if (rel === -1) continue; // not a field
    const colon = fieldStart + rel;
    const name = raw.toString('latin1', fieldStart, colon).replace(/[ \t]+$/, '');
    if (name.length === 0 || /[\r\n]/.test(name)) continue;
    let valueEnd = end;
    if (valueEnd > colon + 1 && raw[valueEnd - 1] === LF) valueEnd--;
    if (valueEnd > colon + 1 && raw[valueEnd - 1] === CR) valueEnd--;
    fields.push({ name, lname: name.toLowerCase(), start: fieldStart, end, valueStart: colon + 1, valueEnd });
  }
  return { fields, headerEnd: limit, bodyStart: limit };
}

/** Parses the header block that starts at `start` and may extend up to `limit`. */
export function parseHeaderBlock(raw: Buffer, start: number, limit: number): HeaderBlock {
  const block = scanHeaderFields(raw, start, limit);
  const fields = block.fields.map((f): HeaderField => {
    const decoded = bytesToString(raw.subarray(f.valueStart, f.valueEnd));
    return { ...f, value: unfold(decoded.text).replace(/^[ \t]+/, ''), utf8: decoded.utf8 };
  });
  return { fields, headerEnd: block.headerEnd, bodyStart: block.bodyStart };
}

/** The value bytes of a field as written (still folded). */
export function fieldRawValue(raw: Buffer, field: HeaderField): Buffer {
  return raw.subarray(field.valueStart, field.valueEnd);
}

/** First field with that name (case-insensitive), or null. */
export function findField(fields: readonly HeaderField[], name: string): HeaderField | null {
  const l = name.toLowerCase();
  for (const f of fields) if (f.lname === l) return f;
  return null;
}

/** All fields with that name (case-insensitive), in header order. */
export function findFields(fields: readonly HeaderField[], name: string): HeaderField[] {
  const l = name.toLowerCase();
  return fields.filter((f) => f.lname === l);
}

/** Unfolded value of the first field with that name, or null when absent. */
export function fieldValue(fields: readonly HeaderField[], name: string): string | null {
  return findField(fields, name)?.value ?? null;
}
