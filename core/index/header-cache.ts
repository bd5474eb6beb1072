/**
 * The per-message header cache kept in the mailbox index: the raw bytes of the header fields
 * SEARCH and SORT/THREAD ask for most and those FETCH ENVELOPE reads, so those commands need not
 * load the message.
 * A block is the original field lines (name, colon, folded value, CRLF) in message order,
 * held as a Latin-1 string (one char per byte) so it survives JSON unchanged and RFC 2047 /
 * charset decoding still happens at search time exactly as on the full message.
 */
import { parseHeaderBlock, scanHeaderFields, type HeaderField } from '../mail/headers.ts';

/**
 * Lowercase names of the fields every block holds, old or new: SEARCH and SORT may answer from
 * a block for these names only (a name missing from the block means the message lacks it).
 */
export const CACHED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
]);

/** The rest of what IMAP ENVELOPE reads; blocks made before these were kept lack them. */
const ENVELOPE_EXTRA_NAMES: ReadonlySet<string> = new Set(['sender', 'reply-to']);

/**
 * First line of a block that holds every ENVELOPE field, so FETCH ENVELOPE can be answered from
 * the index without the message (as Dovecot answers it from dovecot.index.cache). An empty field
 * name: header parsing skips the line, and no cached field can look like it.
 */
const ENVELOPE_MARK = ':e\r\n';

/** A cached block larger than this is not kept (a runaway header must not bloat the index). */
export const MAX_CACHED_HEADER_BYTES = 8192;

/** The cache block of a raw message, or null when it would be too large to keep. */
export function extractCachedHeaders(raw: Buffer): string | null {
  const { fields } = scanHeaderFields(raw, 0, raw.length);
  const parts: Buffer[] = [Buffer.from(ENVELOPE_MARK, 'latin1')];
  let size = ENVELOPE_MARK.length;
  for (const f of fields) {
    if (!CACHED_HEADER_NAMES.has(f.lname) && !ENVELOPE_EXTRA_NAMES.has(f.lname)) continue;
    let line = raw.subarray(f.start, f.end);
    // The last field of a header without a blank line may lack its line end.
    if (line[line.length - 1] !== 0x0a) line = Buffer.concat([line, Buffer.from('\r\n')]);
    size += line.length;
    if (size > MAX_CACHED_HEADER_BYTES) return null;
    parts.push(line);
  }
  return Buffer.concat(parts).toString('latin1');
}

/** True when the block holds every field ENVELOPE reads (see ENVELOPE_MARK). */
export function holdsEnvelope(block: string): boolean {
  return block.startsWith(ENVELOPE_MARK);
}

/** The block's fields for rendering ENVELOPE, or null when it was made without all of them. */
export function envelopeFields(block: string): HeaderField[] | null {
  if (!holdsEnvelope(block)) return null;
  const bytes = Buffer.from(block, 'latin1');
  return parseHeaderBlock(bytes, ENVELOPE_MARK.length, bytes.length).fields;
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
