/**
 * Header text to IMAP nstrings. Values are returned as strings (the IMAP writer encodes them as
 * UTF-8); a value whose 8-bit bytes were not valid UTF-8 goes back as its original bytes
 * (a Buffer) so that nothing is altered on the wire.
 */
import type { HeaderField } from './headers.ts';
import type { ImapValue } from './types.ts';

/** `s` as an IMAP string; Latin-1 decoded text with 8-bit chars becomes its original bytes. */
export function textValue(s: string, utf8: boolean): string | Buffer {
  // eslint-disable-next-line no-control-regex
  if (!utf8 && /[^\x00-\x7f]/.test(s)) return Buffer.from(s, 'latin1');
  return s;
}

/** A header field's unfolded value, or NIL when the field is absent. */
export function fieldNString(field: HeaderField | null): ImapValue {
  return field ? textValue(field.value, field.utf8) : null;
}
