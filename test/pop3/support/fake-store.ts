/**
 * A small in-memory MailStoreProvider double, faithful to the contract where POP3 and LMTP
 * depend on it (stable views, lockExclusive, usage, release counting). Used until / unless the
 * real createMailStore is wired into the harness; `failNextAppend` injects StorageErrors.
 */
import { createHash } from 'node:crypto';
import { StorageError, type StorageErrorCode } from '../../../core/storage/errors.ts';
import type {
  MailStoreProvider,
  MailboxView,
  MessageMeta,
  UserMailStore,
} from '../../../core/storage/mail-store.ts';

interface StoredMessage {
  meta: MessageMeta;
  raw: Buffer;
}

interface UserData {
  inbox: StoredMessage[];
  uidNext: number;
  lock: string | null;
  refs: number;
}

export class FakeMailStore implements MailStoreProvider {
  readonly users = new Map<string, UserData>();
  failNextAppend: Map<string, StorageErrorCode> = new Map();
  openCount = 0;

  private data(user: string): UserData {
    let d = this.users.get(user);
    if (!d) this.users.set(user, (d = { inbox: [], uidNext: 1, lock: null, refs: 0 }));
    return d;
  }

  /** Messages of a user's INBOX as they are now. */
  inbox(user: string): StoredMessage[] {
    return this.data(user).inbox;
  }

  async openUser(user: string): Promise<UserMailStore> {
    const d = this.data(user);
    d.refs++;
    this.openCount++;
    return new FakeUserStore(user, d, this);
  }

  async close(): Promise<void> {}
}

class FakeUserStore implements UserMailStore {
  private released = false;
  constructor(
    readonly user: string,
    private readonly d: UserData,
    private readonly provider: FakeMailStore,
  ) {}

  private checkInbox(name: string): void {
    if (name.toUpperCase() !== 'INBOX') throw new StorageError('NOT_FOUND', `no mailbox ${name}`);
  }
  async listMailboxes() {
    return [{ name: 'INBOX', guid: 'inbox', specialUse: null, subscribed: true, noSelect: false }];
  }
  async createMailbox(): Promise<void> {
    throw new StorageError('NO_PERMISSION', 'fake store has INBOX only');
  }
  async deleteMailbox(): Promise<void> {
    throw new StorageError('NO_PERMISSION', 'fake store has INBOX only');
  }
  async renameMailbox(): Promise<void> {
    throw new StorageError('NO_PERMISSION', 'fake store has INBOX only');
  }
  async setSubscribed(): Promise<void> {}
  async status(name: string) {
    this.checkInbox(name);
    const size = this.d.inbox.reduce((a, m) => a + m.meta.size, 0);
    return { messages: this.d.inbox.length, recent: 0, uidNext: this.d.uidNext, uidValidity: 1, unseen: 0, size, highestModseq: 1 };
  }
  async append(name: string, raw: Buffer) {
    this.checkInbox(name);
    const failure = this.provider.failNextAppend.get(this.user);
    if (failure) {
      this.provider.failNextAppend.delete(this.user);
      throw new StorageError(failure, 'injected');
    }
    const uid = this.d.uidNext++;
    const guid = createHash('sha1').update(raw).update(String(uid)).digest('hex');
    const now = Date.now();
    this.d.inbox.push({
      raw: Buffer.from(raw),
      meta: { uid, guid, flags: [], internalDate: now, saveDate: now, size: raw.length, modseq: 1, pop3Uidl: `u${uid}.${guid.slice(0, 8)}` },
    });
    return { uidValidity: 1, uid, guid };
  }
  async openMailbox(name: string, opts: { readOnly: boolean }): Promise<MailboxView> {
    this.checkInbox(name);
    return new FakeView(this.d, opts.readOnly);
  }
  async lockExclusive(name: string, owner: string): Promise<() => void> {
    this.checkInbox(name);
    if (this.d.lock !== null) throw new StorageError('IN_USE', 'locked');
    this.d.lock = owner;
    return () => {
      if (this.d.lock === owner) this.d.lock = null;
    };
  }
  async usage() {
    return { bytes: this.d.inbox.reduce((a, m) => a + m.meta.size, 0), messages: this.d.inbox.length };
  }
  async release(): Promise<void> {
    if (this.released) throw new Error('released twice');
    this.released = true;
    this.d.refs--;
  }
}

class FakeView implements MailboxView {
  readonly name = 'INBOX';
  readonly guid = 'inbox';
  readonly uidValidity = 1;
  private uids: number[];
  constructor(
    private readonly d: UserData,
    readonly readOnly: boolean,
  ) {
    this.uids = d.inbox.map((m) => m.meta.uid);
  }
  private msg(uid: number): StoredMessage {
    const m = this.d.inbox.find((x) => x.meta.uid === uid);
    if (!m) throw new StorageError('EXPUNGED', 'gone');
    return m;
  }
  count() {
    return this.uids.length;
  }
  uidAt(seq: number) {
    return this.uids[seq - 1] ?? 0;
  }
  seqOfUid(uid: number) {
    return this.uids.indexOf(uid) + 1;
  }
  meta(seq: number): MessageMeta {
    return { ...this.msg(this.uidAt(seq)).meta };
  }
  isRecent() {
    return false;
  }
  recentCount() {
    return 0;
  }
  uidNext() {
    return this.d.uidNext;
  }
  highestModseq() {
    return 1;
  }
  async read(seq: number) {
    return this.msg(this.uidAt(seq)).raw;
  }
  async store(uids: number[], op: 'add' | 'remove' | 'replace', flags: string[]) {
    for (const uid of uids) {
      const m = this.msg(uid);
      if (op === 'replace') m.meta.flags = [...flags];
      else if (op === 'add') m.meta.flags = [...new Set([...m.meta.flags, ...flags])];
      else m.meta.flags = m.meta.flags.filter((f) => !flags.includes(f));
    }
    return { changed: uids, failedUnchangedSince: [] };
  }
  async expunge(uids?: number[]) {
    const gone = this.d.inbox
      .filter((m) => m.meta.flags.includes('\\Deleted') && (!uids || uids.includes(m.meta.uid)))
      .map((m) => m.meta.uid);
    this.d.inbox.splice(0, this.d.inbox.length, ...this.d.inbox.filter((m) => !gone.includes(m.meta.uid)));
    return gone;
  }
  async copy(): Promise<never> {
    throw new StorageError('NO_PERMISSION', 'fake');
  }
  async move(): Promise<never> {
    throw new StorageError('NO_PERMISSION', 'fake');
  }
  sync() {
    const expunged: number[] = [];
    const present = new Set(this.d.inbox.map((m) => m.meta.uid));
    for (let seq = this.uids.length; seq >= 1; seq--) if (!present.has(this.uids[seq - 1]!)) expunged.push(seq);
    this.uids = this.d.inbox.map((m) => m.meta.uid);
    return { expunged, exists: null, recent: null, flagsChanged: [] };
  }
  onChange() {
    return () => undefined;
  }
  async close() {}
}
