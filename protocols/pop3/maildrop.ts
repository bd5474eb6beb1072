/**
 * The POP3 session's maildrop: INBOX as it was at login, with its resources (user store
 * reference, exclusive lock, mailbox view, per-user connection slot). Message numbers are the
 * view's sequence numbers at login and never move during the session (the view is not synced
 * until QUIT). DELE only marks; `commit()` at QUIT stores \Deleted and expunges exactly those
 * UIDs. A dropped connection calls `dispose()` alone, so nothing is committed.
 *
 * \Seen: as Dovecot does by default, a message fully RETRieved during the session gets \Seen,
 * and only at QUIT (TOP never sets it; a dropped session leaves flags alone).
 */
import type { MailboxView, UserMailStore } from '../../core/storage/mail-store.ts';
import { printable } from './wire/line-parser.ts';

export interface MaildropEntry {
  number: number;
  uid: number;
  size: number;
  uidl: string;
  seen: boolean;
}

export interface MaildropResources {
  store: UserMailStore;
  unlock: () => void;
  view: MailboxView;
  releaseConnection: () => void;
}

export type EntryLookup = { ok: true; entry: MaildropEntry } | { ok: false; reply: string };

export class Maildrop {
  private readonly entries: MaildropEntry[] = [];
  private readonly deleted = new Set<number>();
  private readonly retrieved = new Set<number>();
  private disposed = false;

  constructor(private readonly res: MaildropResources) {
    const view = res.view;
    for (let seq = 1; seq <= view.count(); seq++) {
      const meta = view.meta(seq);
      this.entries.push({
        number: seq,
        uid: meta.uid,
        size: meta.size,
        uidl: meta.pop3Uidl,
        seen: meta.flags.includes('\\Seen'),
      });
    }
  }

  /** Messages not marked deleted, for STAT / LIST / UIDL. */
  live(): MaildropEntry[] {
    return this.entries.filter((e) => !this.deleted.has(e.number));
  }

  stat(): { count: number; size: number } {
    let size = 0;
    const live = this.live();
    for (const e of live) size += e.size;
    return { count: live.length, size };
  }

  /** Resolve a client's message-number argument, with the reply to send when it is no good. */
  lookup(arg: string | undefined): EntryLookup {
    if (arg === undefined) return { ok: false, reply: '-ERR Message number missing.' };
    if (!/^[0-9]{1,10}$/.test(arg)) return { ok: false, reply: `-ERR Invalid message number: ${printable(arg, 20)}` };
    const n = Number(arg);
    const entry = this.entries[n - 1];
    if (n < 1 || !entry) return { ok: false, reply: `-ERR There's no message ${n}.` };
    if (this.deleted.has(n)) return { ok: false, reply: '-ERR Message is deleted.' };
    return { ok: true, entry };
  }

  markDeleted(entry: MaildropEntry): void {
    this.deleted.add(entry.number);
  }

  markRetrieved(entry: MaildropEntry): void {
    this.retrieved.add(entry.number);
  }

  /** RSET: unmark everything (RETR's pending \Seen too, as a fresh start). */
  reset(): void {
    this.deleted.clear();
    this.retrieved.clear();
  }

  read(entry: MaildropEntry): Promise<Buffer> {
    return this.res.view.read(entry.number);
  }

  /** UPDATE state: set \Seen on retrieved messages, delete the marked ones. Throws StorageError. */
  async commit(): Promise<void> {
    const view = this.res.view;
    // Another session (IMAP) may have expunged some meanwhile: act on UIDs still present.
    view.sync();
    const present = (uid: number) => view.seqOfUid(uid) !== 0;
    const seenUids = this.entries
      .filter((e) => this.retrieved.has(e.number) && !this.deleted.has(e.number) && !e.seen)
      .map((e) => e.uid)
      .filter(present);
    const deleteUids = this.entries.filter((e) => this.deleted.has(e.number)).map((e) => e.uid).filter(present);
    if (seenUids.length > 0) await view.store(seenUids, 'add', ['\\Seen']);
    if (deleteUids.length > 0) {
      await view.store(deleteUids, 'add', ['\\Deleted']);
      await view.expunge(deleteUids);
    }
  }

  /** Release everything this maildrop holds. Safe to call twice; never throws. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const { view, unlock, store, releaseConnection } = this.res;
    await view.close().catch(() => undefined);
    try {
      unlock();
    } catch {
      // A lock that fails to release must not keep the store reference alive.
    }
    await store.release().catch(() => undefined);
    releaseConnection();
  }
}
