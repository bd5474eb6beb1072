/**
 * BODY[section] contents (RFC 3501 section 6.4.5) cut from the raw message by the MIME tree's
 * offsets. A section that does not exist yields an empty Buffer, never an error.
 */
import { parseHeaderBlock, type HeaderField } from './headers.ts';
import type { MimePart } from './mime-parser.ts';
import type { SectionSpec } from './types.ts';
import { decodeBase64, decodeQuotedPrintable } from './decode.ts';

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n');

/**
 * The part a numeric path names, or null. Part 1 of a non-multipart is the part itself; the
 * sub-parts of a message/rfc822 part are those of its encapsulated message.
 */
export function resolvePart(root: MimePart, path: readonly number[]): MimePart | null {
  // `container` is what the next number indexes into.
  let container: MimePart = root;
  let part: MimePart | null = null;
  for (const n of path) {
    if (!Number.isInteger(n) || n < 1) return null;
    if (container.type === 'multipart') part = container.children[n - 1] ?? null;
    else part = n === 1 ? container : null;
    if (!part) return null;
    if (part.message) container = part.message;
    else if (part.type === 'multipart') container = part;
    // A leaf inside a multipart answers `.1` with itself (as Dovecot does); a leaf that was
    // itself reached as "part 1" has nothing below it.
    else container = part === container ? LEAF : part;
  }
  return part;
}

/** A sentinel container with no parts, so that any deeper number resolves to nothing. */
const LEAF: MimePart = {
  headerStart: 0,
  headerEnd: 0,
  bodyStart: 0,
  bodyEnd: 0,
  headers: [],
  type: 'multipart',
  subtype: 'mixed',
  typeRaw: 'multipart',
  subtypeRaw: 'mixed',
  params: [],
  explicitType: false,
  encoding: null,
  encodingRaw: null,
  disposition: null,
  language: null,
  contentId: null,
  description: null,
  location: null,
  md5: null,
  bodySize: 0,
  bodyLines: 0,
  children: [],
  message: null,
};

/** The header fields whose names are (or, with `not`, are not) in `names`, then CRLF. */
export function headerFields(raw: Buffer, headers: readonly HeaderField[], names: readonly string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const chunks: Buffer[] = [];
  const pick = (f: HeaderField) => wanted.has(f.lname) !== not;
  for (const f of headers) {
    if (!pick(f)) continue;
    const bytes = raw.subarray(f.start, f.end);
    chunks.push(bytes);
    // The last field of a header without a blank line may lack its line end.
    if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) chunks.push(CRLF);
  }
  chunks.push(CRLF);
  return Buffer.concat(chunks);
}

/** The bytes of BODY[spec] (before any partial is applied). */
export function fetchSection(raw: Buffer, root: MimePart, spec: SectionSpec): Buffer {
  const part = spec.part.length === 0 ? root : resolvePart(root, spec.part);
  if (!part) return EMPTY;
  if (spec.kind === '') {
    if (spec.part.length === 0) return raw.subarray(root.headerStart, root.bodyEnd);
    return raw.subarray(part.bodyStart, part.bodyEnd);
  }
  if (spec.kind === 'MIME') {
    // MIME is only defined for numbered parts.
    if (spec.part.length === 0) return EMPTY;
    return raw.subarray(part.headerStart, part.bodyStart);
  }
  // HEADER, HEADER.FIELDS(.NOT), TEXT: of the message itself or of an encapsulated message.
  const msg = spec.part.length === 0 ? root : part.message;
  if (!msg) return EMPTY;
  switch (spec.kind) {
    case 'HEADER':
      return raw.subarray(msg.headerStart, msg.bodyStart);
    case 'HEADER.FIELDS':
      return headerFields(raw, msg.headers, spec.fields ?? [], false);
    case 'HEADER.FIELDS.NOT':
      return headerFields(raw, msg.headers, spec.fields ?? [], true);
    case 'TEXT':
      return raw.subarray(msg.bodyStart, msg.bodyEnd);
    default:
      return EMPTY;
  }
}

/**
 * BINARY[part] (RFC 3516): the part's body with its Content-Transfer-Encoding undone.
 * Returns null for an encoding we cannot undo (the caller answers NO [UNKNOWN-CTE]) and an
 * empty Buffer for a part that does not exist. Multiparts and message/rfc822 parts are
 * returned as they are (RFC 3516 applies decoding to leaf parts only).
 */
export function binarySection(raw: Buffer, root: MimePart, part: readonly number[]): Buffer | null {
  const p = part.length === 0 ? root : resolvePart(root, part);
  if (!p) return EMPTY;
  const body = part.length === 0 ? raw.subarray(root.headerStart, root.bodyEnd) : raw.subarray(p.bodyStart, p.bodyEnd);
  if (part.length === 0 || p.type === 'multipart' || p.message) return body;
  switch (p.encoding) {
    case null:
    case '7bit':
    case '8bit':
    case 'binary':
      return body;
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return null;
  }
}

/**
 * Sections of the top level that need no MIME tree (`[]`, `HEADER`, `HEADER.FIELDS(.NOT)`,
 * `TEXT`): answered from a header-only parse, which matters for clients that fetch headers of
 * thousands of large messages. Null when the section needs the tree (use fetchSection).
 */
export function fetchTopSection(raw: Buffer, spec: SectionSpec): Buffer | null {
  if (spec.part.length > 0 || spec.kind === 'MIME') return null;
  if (spec.kind === '') return raw;
  const block = parseHeaderBlock(raw, 0, raw.length);
  switch (spec.kind) {
    case 'HEADER':
      return raw.subarray(0, block.bodyStart);
    case 'HEADER.FIELDS':
      return headerFields(raw, block.fields, spec.fields ?? [], false);
    case 'HEADER.FIELDS.NOT':
      return headerFields(raw, block.fields, spec.fields ?? [], true);
    case 'TEXT':
      return raw.subarray(block.bodyStart);
    default:
      return null;
  }
}
