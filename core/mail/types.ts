/**
 * Data shapes shared by the MIME layer and the IMAP serializer.
 * ENVELOPE and BODYSTRUCTURE are built as nested `ImapValue` lists; the IMAP layer only
 * serializes them (string → quoted or literal as its content requires, null → NIL).
 */
export type ImapValue = null | number | string | Buffer | ImapValue[];

/** A BODY[...] section (RFC 3501 section 6.4.5), without the partial. */
export interface SectionSpec {
  /** Part path, e.g. [1, 2] for `1.2`; empty for the whole message. */
  part: number[];
  kind: '' | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** Field names for HEADER.FIELDS(.NOT), as the client sent them. */
  fields?: string[];
}
