/**
 * RCPT TO resolution: which user an address delivers to, and whether that user can take a
 * message now (quota). Lookups try the address as written, then without its `+detail`, then
 * the bare local part, so `alice+lists@example.com` reaches `alice@example.com` or `alice`.
 */
import type { Config } from '../../core/config/schema.ts';
import type { Authenticator } from '../../core/auth/types.ts';
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import type { Mailbox } from './wire/address.ts';

export function lookupCandidates(mailbox: Mailbox): string[] {
  const plus = mailbox.local.indexOf('+');
  const local = plus > 0 ? mailbox.local.slice(0, plus) : mailbox.local;
  const names = mailbox.domain
    ? [`${mailbox.local}@${mailbox.domain}`, `${local}@${mailbox.domain}`, local]
    : [mailbox.local, local];
  return [...new Set(names)];
}

export async function findUser(auth: Authenticator, mailbox: Mailbox): Promise<string | null> {
  for (const name of lookupCandidates(mailbox)) {
    const user = await auth.lookup(name);
    if (user) return user;
  }
  return null;
}

/**
 * True when a message of `size` bytes (1 when the sender did not say) would go over the
 * configured quota. The store enforces quota again at append time; this only lets the MTA
 * hear about it before it sends the data.
 */
export async function wouldExceedQuota(store: UserMailStore, config: Config, size: number | null): Promise<boolean> {
  const { storageBytes, messages } = config.quota;
  if (storageBytes === 0 && messages === 0) return false;
  const usage = await store.usage();
  if (storageBytes > 0 && usage.bytes + Math.max(size ?? 1, 1) > storageBytes) return true;
  return messages > 0 && usage.messages + 1 > messages;
}
