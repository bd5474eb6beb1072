/**
 * Object key layout (DESIGN.md section 3). `hh` spreads users over partitions; it depends only
 * on the user name, so every backend computes the same keys.
 */
import { createHash, randomBytes } from 'node:crypto';

export function userHashPrefix(user: string): string {
  return createHash('sha256').update(user, 'utf8').digest('hex').slice(0, 2);
}

/** User names go into keys as-is except characters that would break the layout. */
export function userKeySegment(user: string): string {
  return encodeURIComponent(user);
}

export function userPrefix(user: string): string {
  return `${userHashPrefix(user)}/${userKeySegment(user)}/`;
}

export function messagePrefix(user: string): string {
  return `${userPrefix(user)}m/`;
}

export function messageKey(user: string, guid: string): string {
  return `${messagePrefix(user)}${guid}`;
}

/** `mailboxGuid` is a mailbox GUID or 'root' for the mailbox list. */
export function indexPrefix(user: string, mailboxGuid: string): string {
  return `${userPrefix(user)}i/${mailboxGuid}/`;
}

/**
 * Bundle names sort by time: a fixed-width timestamp, then a random part so two writers in the
 * same millisecond never collide.
 */
export function bundleKey(user: string, mailboxGuid: string, now = Date.now()): string {
  return `${indexPrefix(user, mailboxGuid)}bundle.${String(now).padStart(15, '0')}.${randomBytes(6).toString('hex')}`;
}

/** 128-bit random id as 32 hex chars: message and mailbox GUIDs. */
export function newGuid(): string {
  return randomBytes(16).toString('hex');
}

export function isGuid(s: string): boolean {
  return /^[0-9a-f]{32}$/.test(s);
}
