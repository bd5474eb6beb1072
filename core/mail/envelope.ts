/**
 * IMAP ENVELOPE (RFC 3501 section 7.4.2) of a message or of a message/rfc822 part's message.
 * Strings are the header values unfolded, encoded words left as written. Absent fields are NIL;
 * present but empty ones are "" (address lists: NIL when there is no address).
 */
import { parseAddressList } from './address.ts';
import { findField, type HeaderField } from './headers.ts';
import type { MimePart } from './mime-parser.ts';
import { fieldNString, textValue } from './nstring.ts';
import type { ImapValue } from './types.ts';

/** An address header as the ENVELOPE's list of (name adl mailbox host), or NIL. */
export function addressList(field: HeaderField | null): ImapValue {
  if (!field) return null;
  const items = parseAddressList(field.value);
  const s = (v: string) => textValue(v, field.utf8);
  const out: ImapValue[] = [];
  for (const item of items) {
    if (item.kind === 'mailbox') {
      out.push([item.name === null ? null : s(item.name), item.route === null ? null : s(item.route), s(item.mailbox), s(item.host)]);
    } else if (item.kind === 'group-start') {
      out.push([null, null, s(item.name), null]);
    } else {
      out.push([null, null, null, null]);
    }
  }
  return out.length > 0 ? out : null;
}

/**
 * ENVELOPE of `part` (the root of a parsed message, or the `message` of a message/rfc822 part):
 * (date subject from sender reply-to to cc bcc in-reply-to message-id).
 */
export function envelope(part: Pick<MimePart, 'headers'>): ImapValue {
  const h = part.headers;
  const from = addressList(findField(h, 'from'));
  // RFC 3501: Sender and Reply-To default to From when absent or empty.
  const sender = addressList(findField(h, 'sender')) ?? from;
  const replyTo = addressList(findField(h, 'reply-to')) ?? from;
  return [
    fieldNString(findField(h, 'date')),
    fieldNString(findField(h, 'subject')),
    from,
    sender,
    replyTo,
    addressList(findField(h, 'to')),
    addressList(findField(h, 'cc')),
    addressList(findField(h, 'bcc')),
    fieldNString(findField(h, 'in-reply-to')),
    fieldNString(findField(h, 'message-id')),
  ];
}
