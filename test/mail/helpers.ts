/** Test helpers: IMAP text of an ImapValue, and fixture loading. */
import { readFileSync } from 'node:fs';
import { leadingListCount, spaceBefore } from '../../core/mail/list-spacing.ts';
import type { ImapValue } from '../../core/mail/types.ts';

/**
 * Serializes like an IMAP server: quoted strings, literals for CR/LF/8-bit, NIL, lists. The
 * leading run of lists inside a list is written without spaces, as RFC 3501's `1*address` and
 * `1*body` require (and as Dovecot writes them).
 */
export function imapText(v: ImapValue): string {
  if (v === null) return 'NIL';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    let out = '(';
    const leading = leadingListCount(v);
    v.forEach((item, i) => {
      if (spaceBefore(v, i, leading)) out += ' ';
      out += imapText(item);
    });
    return out + ')';
  }
  const buf = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  // eslint-disable-next-line no-control-regex
  if (buf.some((b) => b > 0x7f || b === 0x0d || b === 0x0a || b === 0)) {
    return `{${buf.length}}\r\n` + buf.toString('latin1');
  }
  return '"' + buf.toString('latin1').replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/**
 * A fixture from test/mail/fixtures/, with bare LF turned into CRLF (fixtures are written with
 * LF so that they stay readable; the server stores CRLF). Files ending in `.raw` are used as is.
 */
export function fixture(name: string): Buffer {
  const bytes = readFileSync(new URL('./fixtures/' + name, import.meta.url));
  if (name.endsWith('.raw')) return bytes;
  const s = bytes.toString('latin1').replace(/\r?\n/g, '\r\n');
  return Buffer.from(s, 'latin1');
}

/** Deterministic pseudo-random bytes (xorshift) for robustness tests. */
export function randomBytes(seed: number, length: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
