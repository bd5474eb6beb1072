/**
 * Decoding for search and display: RFC 2047 encoded words, RFC 2231 parameter values,
 * Content-Transfer-Encoding (base64, quoted-printable) and charsets to UTF-8 (iconv-lite).
 * Tolerant and total: bad base64 yields what can be decoded, an unknown charset falls back to
 * UTF-8 when the bytes are valid UTF-8 and to Windows-1252 otherwise; nothing throws.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { HeaderField } from './headers.ts';
import type { MimePart } from './mime-parser.ts';
import { paramValue } from './mime-params.ts';

/** Bytes in `charset` as a JS string. */
export function charsetToString(bytes: Buffer, charset: string | null): string {
  const cs = (charset ?? '').trim().toLowerCase();
  // ASCII and UTF-8 labels, and mislabeled 8-bit text, are read as UTF-8 when valid.
  if (cs === '' || cs === 'us-ascii' || cs === 'ascii' || cs === 'utf-8' || cs === 'utf8') {
    return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
  }
  try {
    if (iconv.encodingExists(cs)) return iconv.decode(bytes, cs);
  } catch {
    // fall through to the defaults below
  }
  return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
}

/** Base64 that skips characters outside the alphabet instead of failing. */
export function decodeBase64(input: Buffer | string): Buffer {
  const s = typeof input === 'string' ? input : input.toString('latin1');
  return Buffer.from(s.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * Quoted-printable (RFC 2045): `=XX` and soft line breaks; a malformed `=` stays as it is.
 * With `underscoreIsSpace` (RFC 2047 Q encoding) `_` is a space.
 */
export function decodeQuotedPrintable(input: Buffer, underscoreIsSpace = false): Buffer {
  const out = Buffer.alloc(input.length);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0x3d) {
      const h = i + 2 < input.length + 0 ? hexValue(input[i + 1]!) : -1;
      const l = i + 2 < input.length ? hexValue(input[i + 2]!) : -1;
      if (h >= 0 && l >= 0) {
        out[o++] = (h << 4) | l;
        i += 2;
        continue;
      }
      // Soft line break: '=' then optional whitespace then CRLF or LF.
      let j = i + 1;
      while (j < input.length && (input[j] === 0x20 || input[j] === 0x09)) j++;
      if (j < input.length && input[j] === 0x0d) j++;
      if (j < input.length && input[j] === 0x0a) {
        i = j;
        continue;
      }
      if (j >= input.length) break; // '=' at the very end
    }
    out[o++] = underscoreIsSpace && b === 0x5f ? 0x20 : b;
  }
  return out.subarray(0, o);
}

/** Undoes a Content-Transfer-Encoding (7bit/8bit/binary/unknown: unchanged). */
export function decodeTransfer(body: Buffer, encoding: string | null): Buffer {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function knownCharset(cs: string): boolean {
  const l = cs.toLowerCase();
  return l === 'us-ascii' || l === 'ascii' || l === 'utf-8' || l === 'utf8' || iconv.encodingExists(l);
}

function wordBytes(enc: string, text: string): Buffer {
  return enc === 'b' || enc === 'B' ? decodeBase64(text) : decodeQuotedPrintable(Buffer.from(text, 'latin1'), true);
}

/**
 * Decodes RFC 2047 encoded words in an (unfolded) header value. Whitespace between two adjacent
 * encoded words is dropped, as the RFC requires, and adjacent words in the same charset are
 * decoded together, so that a character split across two words (some MUAs do) survives.
 * A word in an unknown charset stays as written.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  // Bytes of a run of adjacent words in one charset, not yet decoded.
  let runCharset: string | null = null;
  let run: Buffer[] = [];
  const flush = () => {
    if (runCharset !== null) out += charsetToString(Buffer.concat(run), runCharset);
    runCharset = null;
    run = [];
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    last = m.index! + m[0].length;
    // RFC 2231 section 5: charset*language.
    const charset = m[1]!.split('*')[0]!;
    if (!knownCharset(charset)) {
      flush();
      out += between + m[0];
      continue;
    }
    const adjacent = runCharset !== null && /^[ \t\r\n]*$/.test(between);
    if (!adjacent) {
      flush();
      out += between;
    } else if (runCharset!.toLowerCase() !== charset.toLowerCase()) {
      flush(); // adjacent but another charset: whitespace still dropped
    }
    runCharset ??= charset;
    run.push(wordBytes(m[2]!, m[3]!));
  }
  flush();
  return out + value.slice(last);
}

/** A header field's value unfolded with encoded words decoded (for search and display). */
export function decodedFieldValue(field: HeaderField): string {
  return decodeEncodedWords(field.value);
}

/** Decodes an RFC 2231 extended value `charset'language'percent-encoded`. */
export function decodeRfc2231Value(value: string): string {
  const m = /^([^']*)'[^']*'(.*)$/s.exec(value);
  if (!m) return value;
  const bytes: number[] = [];
  const text = m[2]!;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length + 0 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(text[i]!, 'utf8')) bytes.push(b);
  }
  return charsetToString(Buffer.from(bytes), m[1] || null);
}

/**
 * A parameter's text value: `name*` (RFC 2231, charset-decoded) wins over `name`, which may
 * itself hold encoded words (a common non-standard practice for file names).
 */
export function decodedParam(params: readonly [string, string][], name: string): string | null {
  const extended = paramValue(params, name + '*');
  if (extended !== null) return decodeRfc2231Value(extended);
  const plain = paramValue(params, name);
  return plain === null ? null : decodeEncodedWords(plain);
}

/** The decoded text (UTF-8 string) of a part's body, using its encoding and charset. */
export function partText(raw: Buffer, part: MimePart): string {
  const body = decodeTransfer(raw.subarray(part.bodyStart, part.bodyEnd), part.encoding);
  return charsetToString(body, paramValue(part.params, 'charset'));
}
