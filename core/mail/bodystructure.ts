/**
 * IMAP BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) of a parsed MIME tree, with Dovecot's
 * defaults: a text part without a charset parameter gets "charset" "us-ascii" appended, a missing
 * Content-Transfer-Encoding is "7bit", a multipart without children gets one empty text/plain
 * child (a multipart must have at least one), language is always a list.
 */
import { envelope } from './envelope.ts';
import type { MimePart } from './mime-parser.ts';
import type { MimeParam } from './mime-params.ts';
import { fieldNString } from './nstring.ts';
import type { ImapValue } from './types.ts';

const DEFAULT_CHARSET: ImapValue = ['charset', 'us-ascii'];

/** What Dovecot writes for a multipart that has no parts (and an unparsed message/rfc822). */
function emptyTextPart(extended: boolean): ImapValue {
  const basic: ImapValue[] = ['text', 'plain', DEFAULT_CHARSET, null, null, '7bit', 0, 0];
  return extended ? [...basic, null, null, null, null] : basic;
}

const EMPTY_ENVELOPE: ImapValue = [null, null, null, null, null, null, null, null, null, null];

function paramList(params: readonly MimeParam[]): ImapValue {
  if (params.length === 0) return null;
  const out: ImapValue[] = [];
  for (const [name, value] of params) out.push(name, value);
  return out;
}

function dispositionValue(part: MimePart): ImapValue {
  if (!part.disposition) return null;
  return [part.disposition.type, paramList(part.disposition.params)];
}

function languageValue(part: MimePart): ImapValue {
  return part.language ? [...part.language] : null;
}

function multipartStructure(part: MimePart, extended: boolean): ImapValue {
  const out: ImapValue[] = part.children.map((c) => bodyStructure(c, extended));
  if (out.length === 0) out.push(emptyTextPart(extended));
  out.push(part.subtypeRaw);
  if (extended) {
    out.push(paramList(part.params), dispositionValue(part), languageValue(part), fieldNString(part.location));
  }
  return out;
}

function singleStructure(part: MimePart, extended: boolean): ImapValue {
  const isText = part.type === 'text';
  // Text without a charset parameter is us-ascii (RFC 2045); say so, as Dovecot does.
  const hasCharset = part.params.some(([n]) => n.toLowerCase() === 'charset');
  const params = isText && !hasCharset ? paramList([...part.params, ['charset', 'us-ascii']]) : paramList(part.params);
  const out: ImapValue[] = [
    part.typeRaw,
    part.subtypeRaw,
    params,
    fieldNString(part.contentId),
    fieldNString(part.description),
    part.encodingRaw ?? '7bit',
    part.bodySize,
  ];
  if (part.type === 'message' && part.subtype === 'rfc822') {
    // RFC 3501 grammar requires envelope, body and lines for message/rfc822, even when the
    // encapsulated message is encoded (and so not parsed).
    const inner = part.message;
    out.push(inner ? envelope(inner) : EMPTY_ENVELOPE);
    out.push(inner ? bodyStructure(inner, extended) : emptyTextPart(extended));
    out.push(part.bodyLines);
  } else if (isText) {
    out.push(part.bodyLines);
  }
  if (extended) {
    out.push(fieldNString(part.md5), dispositionValue(part), languageValue(part), fieldNString(part.location));
  }
  return out;
}

/** BODYSTRUCTURE (`extended` true) or BODY (`extended` false) of a part or whole message. */
export function bodyStructure(part: MimePart, extended: boolean): ImapValue {
  return part.type === 'multipart' ? multipartStructure(part, extended) : singleStructure(part, extended);
}
