/**
 * MIME structure of a raw RFC 5322 message: a tree of parts with byte offsets into the raw
 * buffer. Pure and total: any input gives a tree (malformed MIME degrades as Dovecot does:
 * an unusable Content-Type is text/plain; a multipart without its final boundary ends where its
 * parent ends; an over-deep tree stops nesting).
 */
import { boundaryMarker, nextBoundary, type BoundaryHit, type BoundaryStack } from './boundaries.ts';
import { findField, parseHeaderBlock, type HeaderField } from './headers.ts';
import {
  parseContentType,
  parseDisposition,
  parseLanguage,
  parseTokenValue,
  paramValue,
  type MimeParam,
  type ParsedDisposition,
} from './mime-params.ts';

/** Beyond this nesting depth parts are not parsed further (protects the stack). */
export const MAX_MIME_DEPTH = 64;
/** At most this many children per multipart; the rest stays in the last child's body. */
export const MAX_MULTIPART_CHILDREN = 10_000;

const LF = 0x0a;

export interface MimePart {
  /** The header of this part (for the root: the message header). */
  headerStart: number;
  /** End of the last header field (the blank line follows, if any). */
  headerEnd: number;
  /** First body byte (after the blank line). */
  bodyStart: number;
  /** End of the body (exclusive); for multipart children, before the CRLF of the next boundary. */
  bodyEnd: number;
  headers: HeaderField[];
  /** Lowercased; text/plain (or message/rfc822 inside multipart/digest) when absent or invalid. */
  type: string;
  subtype: string;
  /** Type and subtype as written (defaults lowercase). */
  typeRaw: string;
  subtypeRaw: string;
  /** Content-Type parameters as written (RFC 2231 continuations joined). */
  params: MimeParam[];
  /** True when the part had a usable Content-Type field. */
  explicitType: boolean;
  /** Content-Transfer-Encoding lowercased, null when absent. */
  encoding: string | null;
  /** Content-Transfer-Encoding as written, for BODYSTRUCTURE. */
  encodingRaw: string | null;
  disposition: ParsedDisposition | null;
  language: string[] | null;
  /** Raw header fields for values that IMAP returns as they are written. */
  contentId: HeaderField | null;
  description: HeaderField | null;
  location: HeaderField | null;
  md5: HeaderField | null;
  /** Body octets. */
  bodySize: number;
  /** Lines in the body (count of LF). */
  bodyLines: number;
  /** Children of a multipart (empty otherwise). */
  children: MimePart[];
  /** The encapsulated message of a message/rfc822 part, else null. */
  message: MimePart | null;
}

export function isMultipart(part: MimePart): boolean {
  return part.type === 'multipart';
}

/** True for message/rfc822 parts whose body is parsed as a message. */
export function isMessagePart(part: MimePart): boolean {
  return part.message !== null;
}

function countLines(raw: Buffer, start: number, end: number): number {
  let n = 0;
  let pos = raw.indexOf(LF, start);
  while (pos !== -1 && pos < end) {
    n++;
    pos = raw.indexOf(LF, pos + 1);
  }
  return n;
}

interface Parsed {
  part: MimePart;
  /** The boundary line (of an enclosing multipart) where this entity stopped, if any. */
  next: BoundaryHit | null;
}

/**
 * Parses the entity at `start`. It ends at the first boundary line of an enclosing multipart
 * (`stack`), or at `limit`. Returns the part and that boundary, which the caller consumes.
 */
function parseEntity(
  raw: Buffer,
  start: number,
  limit: number,
  digest: boolean,
  depth: number,
  stack: BoundaryStack,
  isMessage: boolean,
): Parsed {
  // A header cannot run past a boundary line. Only the header is scanned here, so that each
  // byte of a deep tree is scanned for boundaries once, not once per level.
  let block = parseHeaderBlock(raw, start, limit);
  const cut = nextBoundary(raw, start, block.bodyStart, stack);
  if (cut) block = parseHeaderBlock(raw, start, cut.pos);
  const fields = block.fields;
  const ctField = findField(fields, 'content-type');
  const ct = ctField ? parseContentType(ctField.value) : null;
  let type = 'text';
  let subtype = 'plain';
  let typeRaw = type;
  let subtypeRaw = subtype;
  let params: MimeParam[] = [];
  if (ct) ({ type, subtype, typeRaw, subtypeRaw, params } = ct);
  else if (digest) [type, subtype, typeRaw, subtypeRaw] = ['message', 'rfc822', 'message', 'rfc822'];
  // A message (not a body part) with neither MIME-Version nor Content-Type is not MIME: its
  // other Content-* fields mean nothing (RFC 2045 section 4; Dovecot ignores them too).
  const mime = !isMessage || ctField !== null || findField(fields, 'mime-version') !== null;
  const field = (name: string) => (mime ? findField(fields, name) : null);
  const cteField = field('content-transfer-encoding');
  const dispField = field('content-disposition');
  const langField = field('content-language');
  const encodingRaw = cteField ? parseTokenValue(cteField.value) : null;
  const encoding = encodingRaw?.toLowerCase() ?? null;
  const part: MimePart = {
    headerStart: start,
    headerEnd: block.headerEnd,
    bodyStart: block.bodyStart,
    bodyEnd: limit,
    headers: fields,
    type,
    subtype,
    typeRaw,
    subtypeRaw,
    params,
    explicitType: ct !== null,
    encoding,
    encodingRaw,
    disposition: dispField ? parseDisposition(dispField.value) : null,
    language: langField ? parseLanguage(langField.value) : null,
    contentId: field('content-id'),
    description: field('content-description'),
    location: field('content-location'),
    md5: field('content-md5'),
    bodySize: 0,
    bodyLines: 0,
    children: [],
    message: null,
  };
  let next: BoundaryHit | null = cut;
  const boundary = type === 'multipart' ? paramValue(params, 'boundary') : null;
  // Encoded message bodies (base64/QP) are opaque, as in Dovecot.
  const encapsulates =
    type === 'message' &&
    subtype === 'rfc822' &&
    (encoding === null || encoding === '7bit' || encoding === '8bit' || encoding === 'binary');
  if (cut) {
    part.bodyEnd = Math.max(part.bodyStart, cut.prevEnd);
  } else if (depth < MAX_MIME_DEPTH && boundary !== null) {
    // An empty boundary is legal enough for Dovecot (lines of `--`); follow it.
    next = parseMultipartBody(raw, part, limit, boundaryMarker(boundary), subtype === 'digest', depth, stack);
  } else if (depth < MAX_MIME_DEPTH && encapsulates) {
    const inner = parseEntity(raw, part.bodyStart, limit, false, depth + 1, stack, true);
    part.message = inner.part;
    part.bodyEnd = inner.part.bodyEnd;
    next = inner.next;
  } else {
    next = nextBoundary(raw, part.bodyStart, limit, stack);
    part.bodyEnd = next ? Math.max(part.bodyStart, next.prevEnd) : limit;
  }
  part.bodySize = part.bodyEnd - part.bodyStart;
  part.bodyLines = countLines(raw, part.bodyStart, part.bodyEnd);
  return { part, next };
}

/**
 * Parses the children of a multipart and sets its bodyEnd; returns the enclosing boundary at
 * which it stopped. A missing final boundary ends the multipart where its parent ends.
 */
function parseMultipartBody(
  raw: Buffer,
  part: MimePart,
  limit: number,
  marker: Buffer,
  digest: boolean,
  depth: number,
  stack: BoundaryStack,
): BoundaryHit | null {
  const inner = [...stack, marker];
  const own = stack.length;
  let hit = nextBoundary(raw, part.bodyStart, limit, inner); // the preamble ends here
  while (hit && hit.level === own && !hit.close) {
    if (part.children.length >= MAX_MULTIPART_CHILDREN) {
      // Too many parts: the rest stays in the body unparsed, up to an enclosing boundary.
      hit = nextBoundary(raw, hit.lineEnd, limit, stack);
      break;
    }
    const child = parseEntity(raw, hit.lineEnd, limit, digest, depth + 1, inner, false);
    part.children.push(child.part);
    hit = child.next;
  }
  if (hit && hit.level === own && hit.close) {
    // The epilogue runs to the next enclosing boundary.
    hit = nextBoundary(raw, hit.lineEnd, limit, stack);
  }
  // An empty last part sits after the line end that the boundary claims: keep it inside.
  const lastEnd = part.children.length > 0 ? part.children[part.children.length - 1]!.bodyEnd : part.bodyStart;
  part.bodyEnd = hit ? Math.max(part.bodyStart, hit.prevEnd, lastEnd) : limit;
  return hit;
}

/** Parses a raw message (CRLF or LF line ends) into its MIME tree. Never throws. */
export function parseMime(raw: Buffer): MimePart {
  return parseEntity(raw, 0, raw.length, false, 0, [], true).part;
}

/** The bytes of a part's body. */
export function partBody(raw: Buffer, part: MimePart): Buffer {
  return raw.subarray(part.bodyStart, part.bodyEnd);
}

/** The bytes of a part's header including the blank line. */
export function partHeader(raw: Buffer, part: MimePart): Buffer {
  return raw.subarray(part.headerStart, part.bodyStart);
}

export type { HeaderField } from './headers.ts';
export { findField, findFields, fieldValue, fieldRawValue } from './headers.ts';
