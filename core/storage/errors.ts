/**
 * The closed set of storage errors. Protocols map these codes to their own replies
 * (IMAP response codes, POP3 -ERR codes, LMTP enhanced status codes) in one place each;
 * anything else that escapes the store is a bug and becomes SERVERBUG / 451 4.3.0.
 */
export type StorageErrorCode =
  | 'NOT_FOUND' // mailbox or object does not exist
  | 'EXISTS' // mailbox (or object key) already exists
  | 'EXPUNGED' // message was expunged meanwhile
  | 'OVER_QUOTA' // storage or message-count quota exceeded
  | 'NO_PERMISSION' // ACL or read-only refuses the operation
  | 'LIMIT' // a configured limit (mailbox count, name length, ...) was reached
  | 'TOO_BIG' // message larger than the configured message size
  | 'IN_USE' // locked by another session (POP3 exclusivity)
  | 'INVALID' // bad name or argument (e.g. mailbox name with bad characters)
  | 'TEMPORARY' // transient failure: retry later
  | 'UNAVAILABLE'; // the backing store cannot be reached

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Class identity does not survive worker boundaries: test by shape, not instanceof. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'StorageError' &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (code === undefined || (err as { code: string }).code === code)
  );
}
