/**
 * QUOTA (RFC 9208) as this server has it: one quota root per user, named "", covering every
 * mailbox of the user. Its resources are STORAGE (in KiB, as the RFC counts it) and MESSAGE,
 * each present only when config.quota limits it (0 means unlimited, so no resource). The
 * store enforces the same limits on APPEND, COPY, MOVE and LMTP (OVER_QUOTA); this module only
 * reports them.
 */
import type { Config } from '../../core/config/schema.ts';
import type { UserMailStore } from '../../core/storage/mail-store.ts';

/** The one quota root's name. */
export const QUOTA_ROOT = '';

export interface QuotaResource {
  name: 'STORAGE' | 'MESSAGE';
  usage: number;
  limit: number;
}

/** Whether the user has any quota at all (otherwise no mailbox has a quota root). */
export function hasQuota(config: Config): boolean {
  return config.quota.storageBytes > 0 || config.quota.messages > 0;
}

/**
 * The limited resources with their usage. STORAGE usage rounds up (a started KiB counts) and
 * the limit rounds down, so usage equal to the limit means the store is full.
 */
export async function quotaResources(config: Config, mail: UserMailStore): Promise<QuotaResource[]> {
  const { storageBytes, messages } = config.quota;
  const u = await mail.usage();
  const out: QuotaResource[] = [];
  if (storageBytes > 0) out.push({ name: 'STORAGE', usage: Math.ceil(u.bytes / 1024), limit: Math.floor(storageBytes / 1024) });
  if (messages > 0) out.push({ name: 'MESSAGE', usage: u.messages, limit: messages });
  return out;
}

/** `QUOTA "" (STORAGE 10 512 MESSAGE 3 100)` without the leading `* `. */
export function quotaResponse(resources: readonly QuotaResource[]): string {
  return `QUOTA "" (${resources.map((r) => `${r.name} ${r.usage} ${r.limit}`).join(' ')})`;
}
