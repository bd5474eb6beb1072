/**
 * The per-message header cache kept in the mailbox index: the raw bytes of the header fields
 * SEARCH and SORT/THREAD ask for most, so those commands need not load the message.
 * A block is the original field lines (name, colon, folded value, CRLF) in message order,
 * held as a Latin-1 string (one char per byte) so it survives JSON unchanged and RFC 2047 /
 * charset decoding still happens at search time exactly as on the full message.
 */
import { parseHeaderBlock } from '../mail/headers.ts';

/** Lowercase names of the cached fields. */
export const CACHED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
]);

/** A cached block larger than this is not kept (a runaway header must not bloat the index). */
export const MAX_CACHED_HEADER_BYTES = 8192;

/** The cache block of a raw message, or null when it would be too large to keep. */
export function extractCachedHeaders(raw: Buffer): string | null {
  const { fields } = parseHeaderBlock(raw, 0, raw.length);
  const parts: Buffer[] = [];
  let size = 0;
  for (const f of fields) {
    if (!CACHED_HEADER_NAMES.has(f.lname)) continue;
    let line = raw.subarray(f.start, f.end);
    // The last field of a header without a blank line may lack its line end.
    if (line[line.length - 1] !== 0x0a) line = Buffer.concat([line, Buffer.from('\r\n')]);
    size += line.length;
    if (size > MAX_CACHED_HEADER_BYTES) return null;
    parts.push(line);
  }
  return Buffer.concat(parts).toString('latin1');
}

/** Lowercase field name → raw (unfolded, not decoded) values, in message order. */
export function parseCachedHeaders(block: string): Map<string, string[]> {
  const bytes = Buffer.from(block, 'latin1');
  const { fields } = parseHeaderBlock(bytes, 0, bytes.length);
  const out = new Map<string, string[]>();
  for (const f of fields) {
    const list = out.get(f.lname);
    if (list) list.push(f.value);
    else out.set(f.lname, [f.value]);
  }
  return out;
}
