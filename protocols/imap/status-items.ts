/** The parenthesised attribute list of a STATUS response (also used by LIST-STATUS). */
import type { MailboxStatus } from '../../core/storage/mail-store.ts';
import type { StatusItems } from './wire/commands.ts';

export function statusAttributes(st: MailboxStatus, items: StatusItems['items']): string {
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
    }
  }
  return '(' + parts.join(' ') + ')';
}
