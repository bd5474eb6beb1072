/**
 * The one place where storage errors become IMAP completions (RFC 5530 response codes).
 * Anything that is not a StorageError is a bug: logged with where it happened, answered with
 * `NO [SERVERBUG]`, and its message never reaches the client.
 */
import type { Logger } from 'pino';
import { isStorageError, type StorageErrorCode } from '../../core/storage/errors.ts';
import type { Completion } from './types.ts';

const CODES: Record<StorageErrorCode, { code: string; text: string }> = {
  NOT_FOUND: { code: 'NONEXISTENT', text: 'Mailbox does not exist' },
  EXISTS: { code: 'ALREADYEXISTS', text: 'Mailbox already exists' },
  EXPUNGED: { code: 'EXPUNGEISSUED', text: 'Some of the requested messages no longer exist' },
  OVER_QUOTA: { code: 'OVERQUOTA', text: 'Quota exceeded' },
  NO_PERMISSION: { code: 'NOPERM', text: 'Permission denied' },
  LIMIT: { code: 'LIMIT', text: 'Limit reached' },
  TOO_BIG: { code: 'TOOBIG', text: 'Message too large' },
  IN_USE: { code: 'INUSE', text: 'Mailbox is in use' },
  INVALID: { code: 'CANNOT', text: 'Invalid mailbox name or argument' },
  TEMPORARY: { code: 'UNAVAILABLE', text: 'Temporary failure, try again later' },
  UNAVAILABLE: { code: 'UNAVAILABLE', text: 'Storage is unavailable, try again later' },
};

export interface ErrorContext {
  /** Command name, for the log line. */
  command: string;
  /** COPY, MOVE and APPEND answer a missing destination with TRYCREATE (RFC 3501 7.1). */
  missingIsTryCreate?: boolean;
}

export function completionForError(err: unknown, where: ErrorContext, log: Logger): Completion {
  if (isStorageError(err)) {
    if (err.code === 'NOT_FOUND' && where.missingIsTryCreate) {
      return { status: 'NO', code: 'TRYCREATE', text: 'Mailbox does not exist' };
    }
    const m = CODES[err.code];
    if (m) return { status: 'NO', code: m.code, text: m.text };
  }
  log.error({ err, command: where.command }, 'imap: unexpected error in command handler');
  return { status: 'NO', code: 'SERVERBUG', text: 'Internal error occurred. Refer to server log for more information.' };
}
