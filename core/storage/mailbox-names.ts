/**
 * Mailbox name rules: '/' delimiter, INBOX case-insensitive (and its children `INBOX/x` keep
 * the canonical spelling), no empty levels, no control characters.
 */
import { StorageError } from './errors.ts';
import { HIERARCHY_DELIMITER } from './mail-store.ts';

export const MAX_MAILBOX_NAME_LENGTH = 1000;
export const MAX_MAILBOX_DEPTH = 32;

/** Canonical form: INBOX (any case) as a first level becomes `INBOX`. Throws INVALID. */
export function normalizeMailboxName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw invalid('empty mailbox name');
  if (name.length > MAX_MAILBOX_NAME_LENGTH) throw new StorageError('LIMIT', 'mailbox name too long');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) throw invalid('control character in mailbox name');
  const parts = name.split(HIERARCHY_DELIMITER);
  if (parts.some((p) => p.length === 0)) throw invalid('empty hierarchy level in mailbox name');
  if (parts.length > MAX_MAILBOX_DEPTH) throw new StorageError('LIMIT', 'mailbox hierarchy too deep');
  if (parts[0]!.toUpperCase() === 'INBOX') parts[0] = 'INBOX';
  return parts.join(HIERARCHY_DELIMITER);
}

export function isInbox(name: string): boolean {
  return name === 'INBOX';
}

/** Every ancestor of a name, nearest last: `a/b/c` → [`a`, `a/b`]. */
export function parentNames(name: string): string[] {
  const parts = name.split(HIERARCHY_DELIMITER);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join(HIERARCHY_DELIMITER));
  return out;
}

export function isDescendant(name: string, ancestor: string): boolean {
  return name.startsWith(ancestor + HIERARCHY_DELIMITER);
}

function invalid(msg: string): StorageError {
  return new StorageError('INVALID', msg);
}
