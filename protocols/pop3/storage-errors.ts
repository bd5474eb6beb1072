/**
 * The one place where storage failures become POP3 replies (RFC 2449 response codes, RFC 3206
 * SYS/TEMP and SYS/PERM). Internals are never echoed to the client; unexpected errors are
 * logged by the caller with where they happened.
 */
import { isStorageError } from '../../core/storage/errors.ts';

export interface Pop3Failure {
  /** The full `-ERR ...` reply line, without CRLF. */
  reply: string;
  /** True when the error is not one of the StorageError set (a bug worth a log line). */
  unexpected: boolean;
}

export function pop3ReplyForError(err: unknown): Pop3Failure {
  if (!isStorageError(err)) return { reply: '-ERR [SYS/TEMP] Internal error occurred.', unexpected: true };
  switch (err.code) {
    case 'IN_USE':
      return { reply: '-ERR [IN-USE] Mailbox is locked by another POP3 session.', unexpected: false };
    case 'EXPUNGED':
      return { reply: '-ERR Message was expunged by another session.', unexpected: false };
    case 'TEMPORARY':
    case 'UNAVAILABLE':
      return { reply: '-ERR [SYS/TEMP] Mail storage is temporarily unavailable.', unexpected: false };
    case 'NOT_FOUND':
      return { reply: '-ERR [SYS/PERM] Mailbox does not exist.', unexpected: false };
    case 'NO_PERMISSION':
      return { reply: '-ERR [SYS/PERM] Permission denied.', unexpected: false };
    case 'OVER_QUOTA':
    case 'LIMIT':
    case 'TOO_BIG':
    case 'EXISTS':
    case 'INVALID':
      return { reply: '-ERR [SYS/PERM] Mail storage refused the operation.', unexpected: false };
  }
}
