/**
 * Session behaviour switched by ENABLE IMAP4rev2 (RFC 9051, as Dovecot 2.4 does) and
 * ENABLE UTF8=ACCEPT (RFC 6855). See docs/imap-session.md ("IMAP4rev2 and UTF8=ACCEPT").
 */
import type { MailboxView } from '../../core/storage/mail-store.ts';
import type { ImapContext } from './types.ts';

export const IMAP4REV2 = 'IMAP4REV2';
export const UTF8_ACCEPT = 'UTF8=ACCEPT';

export function isRev2(ctx: Pick<ImapContext, 'enabled'>): boolean {
  return ctx.enabled.has(IMAP4REV2);
}

/** Mailbox names go on the wire as UTF-8 (not modified UTF-7) under either extension. */
export function utf8Names(ctx: Pick<ImapContext, 'enabled'>): boolean {
  return ctx.enabled.has(IMAP4REV2) || ctx.enabled.has(UTF8_ACCEPT);
}

/**
 * Views whose session runs IMAP4rev2: RFC 9051 has no \Recent flag and no RECENT response.
 * Kept per view (a view belongs to exactly one session) so the places that render flags and
 * updates from a view alone (FETCH FLAGS, unsolicited updates) can tell without a session.
 */
const recentHidden = new WeakSet<MailboxView>();

export function hideRecent(view: MailboxView): void {
  recentHidden.add(view);
}

export function isRecentHidden(view: MailboxView): boolean {
  return recentHidden.has(view);
}

/**
 * RFC 6855 erratum 4029: after ENABLE UTF8=ACCEPT, SORT and THREAD (mandatory charset) SHOULD
 * refuse any charset but UTF-8 with BAD. Returns the refusal text, or null when fine.
 */
export function charsetConflict(ctx: Pick<ImapContext, 'enabled'>, charset: string): string | null {
  if (!ctx.enabled.has(UTF8_ACCEPT) || charset.toUpperCase() === 'UTF-8') return null;
  return 'Only the UTF-8 charset is allowed after ENABLE UTF8=ACCEPT.';
}
