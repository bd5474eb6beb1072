/** Transfer encodings the corpus writes: base64 in 76-column lines, quoted-printable, RFC 2047 words. */

/** Base64 with CRLF every 76 characters, as MIME requires. */
export function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

/** Quoted-printable of bytes whose lines are already CRLF-separated (soft breaks at 76). */
export function quotedPrintable(data: Buffer): string {
  const out: string[] = [];
  let line = '';
  const flush = (soft: boolean) => {
    out.push(soft ? line + '=' : line);
    line = '';
  };
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x0d && data[i + 1] === 0x0a) {
      // Trailing space before a hard break must be encoded.
      if (line.endsWith(' ')) line = line.slice(0, -1) + '=20';
      flush(false);
      i++;
      continue;
    }
    const enc =
      (b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20 ? String.fromCharCode(b) : '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (line.length + enc.length > 75) flush(true);
    line += enc;
  }
  out.push(line);
  return out.join('\r\n');
}

/**
 * RFC 2047 encoded words (B encoding) when the text is not plain ASCII. Split on characters, not
 * bytes, so that no word cuts a multi-byte character in two (each word must decode on its own).
 */
export function encodedWords(text: string, charset: string, encode: (s: string) => Buffer): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 12) {
    words.push(`=?${charset}?B?${encode(chars.slice(i, i + 12).join('')).toString('base64')}?=`);
  }
  return words.join('\r\n ');
}
