/**
 * STATUS items the store's MailboxStatus does not carry: MAILBOXID (RFC 8474, the mailbox
 * GUID from the mailbox list) and DELETED (RFC 9051, messages flagged \Deleted, counted through
 * a read-only view, which claims no \Recent). Only computed when asked for.
 */
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import { normalizeMailboxName } from '../../core/storage/mailbox-names.ts';
import type { StatusItems } from './wire/commands.ts';

export interface StatusExtras {
  mailboxId?: string;
  deleted?: number;
  /** RFC 9208: KiB that EXPUNGE would free (bytes of \Deleted messages, rounded up). */
  deletedStorage?: number;
}

/** The MAILBOXID (store GUID) of a mailbox, `INBOX/...` matched in any case; null when unknown. */
export async function mailboxId(mail: UserMailStore, name: string): Promise<string | null> {
  let canonical: string;
  try {
    canonical = normalizeMailboxName(name);
  } catch {
    return null;
  }
  return (await mail.listMailboxes()).find((b) => b.name === canonical)?.guid ?? null;
}

export async function statusExtras(mail: UserMailStore, name: string, items: StatusItems['items']): Promise<StatusExtras> {
  const out: StatusExtras = {};
  if (items.includes('MAILBOXID')) {
    const id = await mailboxId(mail, name);
    if (id) out.mailboxId = id;
  }
  if (items.includes('DELETED') || items.includes('DELETED-STORAGE')) {
    const view = await mail.openMailbox(name, { readOnly: true });
    try {
      let n = 0;
      let bytes = 0;
      for (let seq = 1; seq <= view.count(); seq++) {
        const m = view.meta(seq);
        if (m.flags.includes('\\Deleted')) {
          n++;
          bytes += m.size;
        }
      }
      out.deleted = n;
      out.deletedStorage = Math.ceil(bytes / 1024);
    } finally {
      await view.close();
    }
  }
  return out;
}
