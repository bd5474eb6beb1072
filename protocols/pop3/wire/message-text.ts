/**
 * Multi-line POP3 bodies (RFC 1939 section 3): every line that starts with '.' gets one more
 * '.', the body ends with CRLF and the terminator is ".\r\n". The scan uses Buffer.indexOf
 * (native memchr), so it stays cheap enough for the event loop even on large messages.
 */

const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');
const DOT = 0x2e;
const STUFFED_DOT = Buffer.from('.');
const LINE_START_DOT = Buffer.from('\n.');
const LF = 0x0a;

/** The bytes that follow a `+OK` line for RETR/TOP: dot-stuffed body plus the terminator. */
export function multilineBody(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  if (raw.length > 0 && raw[0] === DOT) parts.push(STUFFED_DOT);
  for (let pos = raw.indexOf(LINE_START_DOT); pos >= 0; pos = raw.indexOf(LINE_START_DOT, pos + 1)) {
    parts.push(raw.subarray(start, pos + 1), STUFFED_DOT);
    start = pos + 1;
  }
  parts.push(raw.subarray(start));
  const endsWithLf = raw.length > 0 && raw[raw.length - 1] === LF;
  // A message that does not end in a line break still needs the terminator on its own line.
  if (raw.length > 0 && !endsWithLf) parts.push(CRLF);
  parts.push(TERMINATOR);
  return Buffer.concat(parts);
}

/** Dot-stuff and terminate a list of short lines (CAPA, LIST, UIDL). */
export function multilineLines(lines: string[]): string {
  let out = '';
  for (const line of lines) out += (line.startsWith('.') ? '.' : '') + line + '\r\n';
  return out + '.\r\n';
}

/**
 * TOP: the header, the blank line after it and the first `bodyLines` lines of the body.
 * Without a blank line the whole message is header and is returned as it is.
 */
export function topOfMessage(raw: Buffer, bodyLines: number): Buffer {
  const sep = findHeaderEnd(raw);
  if (sep < 0) return raw;
  let pos = sep;
  for (let i = 0; i < bodyLines; i++) {
    const lf = raw.indexOf(LF, pos);
    if (lf < 0) return raw;
    pos = lf + 1;
  }
  return raw.subarray(0, pos);
}

/** Offset just after the blank line that ends the header, or -1. Accepts CRLF and bare LF. */
export function findHeaderEnd(raw: Buffer): number {
  if (raw.length >= 2 && raw[0] === 0x0d && raw[1] === LF) return 2;
  if (raw.length >= 1 && raw[0] === LF) return 1;
  let pos = 0;
  for (;;) {
    const lf = raw.indexOf(LF, pos);
    if (lf < 0 || lf + 1 >= raw.length) return -1;
    const after = raw[lf + 1];
    if (after === LF) return lf + 2;
    if (after === 0x0d && raw[lf + 2] === LF) return lf + 3;
    pos = lf + 1;
  }
}
