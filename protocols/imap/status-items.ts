/** The parenthesised attribute list of a STATUS response (also used by LIST-STATUS). */
import type { MailboxStatus } from '../../core/storage/mail-store.ts';
import { mailboxIdItem } from './objectid.ts';
import type { StatusExtras } from './status-extra.ts';
import type { StatusItems } from './wire/commands.ts';

/**
 * `extra` carries MAILBOXID and DELETED when they were asked for (see status-extra.ts), and
 * the APPENDLIMIT (RFC 7889, limits.messageSize; NIL when absent).
 */
export function statusAttributes(
  st: MailboxStatus,
  items: StatusItems['items'],
  extra: StatusExtras & { appendLimit?: number } = {},
): string {
  const parts: string[] = [];
  for (const item of items) {
    switch (item) {
      case 'MESSAGES': parts.push(`MESSAGES ${st.messages}`); break;
      case 'RECENT': parts.push(`RECENT ${st.recent}`); break;
      case 'UIDNEXT': parts.push(`UIDNEXT ${st.uidNext}`); break;
      case 'UIDVALIDITY': parts.push(`UIDVALIDITY ${st.uidValidity}`); break;
      case 'UNSEEN': parts.push(`UNSEEN ${st.unseen}`); break;
      case 'SIZE': parts.push(`SIZE ${st.size}`); break;
      case 'HIGHESTMODSEQ': parts.push(`HIGHESTMODSEQ ${st.highestModseq}`); break;
      case 'MAILBOXID': if (extra.mailboxId) parts.push(mailboxIdItem(extra.mailboxId)); break;
      case 'DELETED': parts.push(`DELETED ${extra.deleted ?? 0}`); break;
      case 'APPENDLIMIT': parts.push(`APPENDLIMIT ${extra.appendLimit ?? 'NIL'}`); break;
      case 'DELETED-STORAGE': parts.push(`DELETED-STORAGE ${extra.deletedStorage ?? 0}`); break;
    }
  }
  return '(' + parts.join(' ') + ')';
}
