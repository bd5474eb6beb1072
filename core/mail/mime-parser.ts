/**
 * MIME structure of a raw RFC 5322 message: a tree of parts with byte offsets into the raw
 * buffer. Pure and total: any input gives a tree (malformed MIME degrades as Dovecot does:
 * an unusable Content-Type is text/plain; a multipart without its final boundary ends where its
 * parent ends; an over-deep tree stops nesting).
 */
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
const CR = 0x0d;

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

function parseEntity(raw: Buffer, start: number, end: number, digest: boolean, depth: number): MimePart {
  const block = parseHeaderBlock(raw, start, end);
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
  const cteField = findField(fields, 'content-transfer-encoding');
  const dispField = findField(fields, 'content-disposition');
  const langField = findField(fields, 'content-language');
  const encodingRaw = cteField ? parseTokenValue(cteField.value) : null;
  const encoding = encodingRaw?.toLowerCase() ?? null;
  const part: MimePart = {
    headerStart: start,
    headerEnd: block.headerEnd,
    bodyStart: block.bodyStart,
    bodyEnd: end,
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
    contentId: findField(fields, 'content-id'),
    description: findField(fields, 'content-description'),
    location: findField(fields, 'content-location'),
    md5: findField(fields, 'content-md5'),
    bodySize: end - block.bodyStart,
    bodyLines: countLines(raw, block.bodyStart, end),
    children: [],
    message: null,
  };
  if (depth >= MAX_MIME_DEPTH) return part;
  if (type === 'multipart') {
    const boundary = paramValue(params, 'boundary');
    // An empty boundary is legal enough for Dovecot (lines of `--`); follow it.
    if (boundary !== null) {
      part.children = parseMultipartBody(raw, part.bodyStart, end, boundary, subtype === 'digest', depth);
    }
  } else if (type === 'message' && subtype === 'rfc822') {
    // Encoded message bodies (base64/QP) are opaque, as in Dovecot.
    if (encoding === null || encoding === '7bit' || encoding === '8bit' || encoding === 'binary') {
      part.message = parseEntity(raw, part.bodyStart, end, false, depth + 1);
    }
  }
  return part;
}

interface Delimiter {
  /** Where the previous part ends (before the CRLF that precedes `--boundary`). */
  prevEnd: number;
  /** Where the next part starts (after the boundary line). */
  nextStart: number;
  close: boolean;
}

/** Finds the next boundary line at or after `from`; null when none before `end`. */
function findDelimiter(raw: Buffer, from: number, bodyStart: number, end: number, marker: Buffer): Delimiter | null {
  let pos = raw.indexOf(marker, from);
  while (pos !== -1 && pos + marker.length <= end) {
    const atLineStart = pos === bodyStart || raw[pos - 1] === LF;
    if (atLineStart) {
      let after = pos + marker.length;
      const close = after + 1 < end && raw[after] === 0x2d && raw[after + 1] === 0x2d;
      if (close) after += 2;
      // Only whitespace may follow a delimiter (RFC 2046 transport padding); a close
      // delimiter is accepted with anything after it, as MUAs do.
      let eol = after;
      while (eol < end && raw[eol] !== LF && raw[eol] !== CR) eol++;
      const rest = raw.toString('latin1', after, eol);
      if (close || /^[ \t]*$/.test(rest)) {
        let nextStart = eol;
        if (nextStart < end && raw[nextStart] === CR) nextStart++;
        if (nextStart < end && raw[nextStart] === LF) nextStart++;
        let prevEnd = pos;
        if (prevEnd > bodyStart && raw[prevEnd - 1] === LF) prevEnd--;
        if (prevEnd > bodyStart && raw[prevEnd - 1] === CR) prevEnd--;
        return { prevEnd, nextStart, close };
      }
    }
    pos = raw.indexOf(marker, pos + 1);
  }
  return null;
}

function parseMultipartBody(
  raw: Buffer,
  bodyStart: number,
  end: number,
  boundary: string,
  digest: boolean,
  depth: number,
): MimePart[] {
  const marker = Buffer.from('--' + boundary, 'latin1');
  const children: MimePart[] = [];
  let delim = findDelimiter(raw, bodyStart, bodyStart, end, marker); // the preamble ends here
  while (delim && !delim.close) {
    const start = delim.nextStart;
    const next =
      children.length + 1 >= MAX_MULTIPART_CHILDREN ? null : findDelimiter(raw, start, bodyStart, end, marker);
    // No further boundary: the part runs to the end of the parent (missing final boundary).
    const partEnd = next ? Math.max(start, next.prevEnd) : end;
    children.push(parseEntity(raw, start, partEnd, digest, depth + 1));
    delim = next;
  }
  return children;
}

/** Parses a raw message (CRLF or LF line ends) into its MIME tree. Never throws. */
export function parseMime(raw: Buffer): MimePart {
  return parseEntity(raw, 0, raw.length, false, 0);
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
