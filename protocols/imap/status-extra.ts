/**
 * STATUS items the store's MailboxStatus does not carry: MAILBOXID (RFC 8474, the mailbox
 * GUID from the mailbox list) and DELETED (RFC 9051, messages flagged \Deleted, counted through
 * a read-only view, which claims no \Recent). Only computed when asked for.
 */
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import type { StatusItems } from './wire/commands.ts';

export interface StatusExtras {
  mailboxId?: string;
  deleted?: number;
}

export async function statusExtras(mail: UserMailStore, name: string, items: StatusItems['items']): Promise<StatusExtras> {
  const out: StatusExtras = {};
  if (items.includes('MAILBOXID')) {
    const upper = name.toUpperCase() === 'INBOX';
    const info = (await mail.listMailboxes()).find((b) => (upper ? b.name.toUpperCase() === 'INBOX' : b.name === name));
    if (info) out.mailboxId = info.guid;
  }
  if (items.includes('DELETED')) {
    const view = await mail.openMailbox(name, { readOnly: true });
    try {
      let n = 0;
      for (let seq = 1; seq <= view.count(); seq++) if (view.meta(seq).flags.includes('\\Deleted')) n++;
      out.deleted = n;
    } finally {
      await view.close();
    }
  }
  return out;
}
