/**
 * The one place where storage failures become LMTP replies (RFC 3463 enhanced status codes).
 * Permanent only where retrying cannot help (quota, size); everything else is 4xx so the MTA
 * keeps the message queued. Internals are never echoed to the client.
 */
import { isStorageError } from '../../core/storage/errors.ts';

export interface LmtpFailure {
  /** Full reply line for the recipient, without CRLF. */
  reply: string;
  unexpected: boolean;
}

export function lmtpReplyForError(err: unknown, rcpt: string): LmtpFailure {
  if (!isStorageError(err)) return { reply: `451 4.3.0 <${rcpt}> Temporary internal error`, unexpected: true };
  switch (err.code) {
    case 'OVER_QUOTA':
      return { reply: `552 5.2.2 <${rcpt}> Mailbox is full`, unexpected: false };
    case 'TOO_BIG':
      return { reply: `552 5.3.4 <${rcpt}> Message too big`, unexpected: false };
    case 'TEMPORARY':
    case 'UNAVAILABLE':
    case 'IN_USE':
      return { reply: `451 4.3.0 <${rcpt}> Temporary internal error`, unexpected: false };
    default:
      // NOT_FOUND (INBOX always exists), NO_PERMISSION, EXISTS, ... are not expected on delivery.
      return { reply: `451 4.3.0 <${rcpt}> Temporary internal error`, unexpected: true };
  }
}
