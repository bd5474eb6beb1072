/**
 * MULTIAPPEND (RFC 3502): every message of one APPEND is added, or none is. The store appends
 * one message at a time, so a failure part-way removes what this command already added
 * (flag \Deleted and expunge exactly those UIDs through a private view), then reports the
 * original error. Other sessions may briefly see the messages come and go; none stay.
 */
import type { AppendResult, UserMailStore } from '../../core/storage/mail-store.ts';
import type { AppendMessage } from './wire/commands.ts';

export type AppendBatchResult = { ok: true; uidValidity: number; uids: number[] } | { ok: false; error: unknown };

export async function appendAll(mail: UserMailStore, mailbox: string, messages: readonly AppendMessage[]): Promise<AppendBatchResult> {
  const added: AppendResult[] = [];
  for (const m of messages) {
    try {
      const res = await mail.append(mailbox, m.message, {
        flags: m.flags,
        ...(m.internalDate ? { internalDate: m.internalDate } : {}),
      });
      added.push(res);
    } catch (error) {
      if (added.length > 0) await removeAppended(mail, mailbox, added.map((a) => a.uid));
      return { ok: false, error };
    }
  }
  return { ok: true, uidValidity: added[0]?.uidValidity ?? 0, uids: added.map((a) => a.uid) };
}

/** Best effort: if even the removal fails the store is unusable and the original error stands. */
async function removeAppended(mail: UserMailStore, mailbox: string, uids: number[]): Promise<void> {
  let view;
  try {
    view = await mail.openMailbox(mailbox, { readOnly: false });
    await view.store(uids, 'add', ['\\Deleted']);
    await view.expunge(uids);
  } catch {
    // Nothing more to do here; the caller reports the append failure.
  } finally {
    await view?.close().catch(() => undefined);
  }
}
