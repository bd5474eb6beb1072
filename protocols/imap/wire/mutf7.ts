/**
 * Modified UTF-7 (RFC 3501 section 5.1.3): how mailbox names travel on the wire before
 * UTF8=ACCEPT. Printable ASCII stands for itself ('&' as "&-"); anything else is UTF-16BE in
 * base64 with ',' instead of '/', no padding, between '&' and '-'.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** Encode a UTF-8 (JS) string to modified UTF-7. */
export function encodeMutf7(name: string): string {
  let out = '';
  let pending: number[] = []; // UTF-16 code units waiting to be base64-encoded
  const flush = (): void => {
    if (pending.length === 0) return;
    const bytes: number[] = [];
    for (const unit of pending) bytes.push(unit >> 8, unit & 0xff);
    let bits = 0;
    let acc = 0;
    out += '&';
    for (const b of bytes) {
      acc = (acc << 8) | b;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out += B64[(acc >> bits) & 0x3f];
      }
      acc &= (1 << bits) - 1;
    }
    if (bits > 0) out += B64[(acc << (6 - bits)) & 0x3f];
    out += '-';
    pending = [];
  };
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isPrintable(code)) {
      flush();
      out += code === 0x26 ? '&-' : name[i];
    } else {
      pending.push(code);
    }
  }
  flush();
  return out;
}

/**
 * Decode modified UTF-7; null when the input is not valid modified UTF-7 (8-bit or control
 * bytes, bad base64, non-zero padding bits, an encoded printable ASCII character, broken
 * surrogate pairs, an unterminated shift, or two adjacent encoded runs).
 */
export function decodeMutf7(wire: string): string | null {
  let out = '';
  let i = 0;
  let lastRunEnd = -1; // index just after the previous '-' of an encoded run
  while (i < wire.length) {
    const code = wire.charCodeAt(i);
    if (!isPrintable(code)) return null;
    if (code !== 0x26) {
      out += wire[i];
      i++;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) return null;
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      continue;
    }
    // "&AGE-&AGE-" must have been written as one run.
    if (lastRunEnd === i) return null;
    const decoded = decodeRun(wire.slice(i + 1, end));
    if (decoded === null) return null;
    out += decoded;
    i = end + 1;
    lastRunEnd = i;
  }
  return out;
}

function decodeRun(run: string): string | null {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < run.length; k++) {
    const c = run.charCodeAt(k);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be fewer than 6 and all zero; whole UTF-16 units only.
  if (bits >= 6 || (acc & ((1 << bits) - 1)) !== 0) return null;
  if (bytes.length === 0 || bytes.length % 2 !== 0) return null;
  let out = '';
  for (let k = 0; k < bytes.length; k += 2) {
    const unit = (bytes[k]! << 8) | bytes[k + 1]!;
    if (isPrintable(unit)) return null; // must have been sent as itself
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = k + 3 < bytes.length ? (bytes[k + 2]! << 8) | bytes[k + 3]! : -1;
      if (next < 0xdc00 || next > 0xdfff) return null;
      out += String.fromCharCode(unit, next);
      k += 2;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return null;
    if (unit === 0) return null;
    out += String.fromCharCode(unit);
  }
  return out;
}
