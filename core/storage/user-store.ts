/**
 * One user's mail store, shared by all of the user's sessions in this process. Every change is
 * built as journal records, applied to the in-memory index synchronously (so concurrent
 * operations see a consistent order) and made durable before the operation resolves.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { applyFlagOperation, parseFlags, sameKeywordSet } from '../index/flags.ts';
import type { IndexRecord, MailboxIndex } from '../index/mailbox-index.ts';
import { extractCachedHeaders } from '../index/header-cache.ts';
import type { IndexPersistence } from '../index/persistence.ts';
import type { JournalRecord } from '../index/records.ts';
import type { UserIndex } from '../index/user-index.ts';
import { isStorageError, StorageError } from './errors.ts';
import type {
  AppendOptions, AppendResult, CopyResult, MailboxChangeKind, MailboxChangeListener, MailboxInfo, MailboxStatus, MailboxView, SpecialUse,
  StoreOperation, StoreResult, UserMailStore,
} from './mail-store.ts';
import { isInbox, isDescendant, normalizeMailboxName, parentNames } from './mailbox-names.ts';
import { MailboxRuntime, type RuntimeView } from './mailbox-runtime.ts';
import { MailboxViewImpl, type ViewHost } from './mailbox-view.ts';
import { type Codec, decodeMessageObject, encodeMessageObject, normalizeCrlf } from './message-object.ts';
import { messageKey, newGuid } from './keys.ts';
import { MetadataStore, type MetadataChange } from './metadata-store.ts';
import { takeMetadataListing } from '../index/heads-listing.ts';
import { ALL_RIGHTS, effectiveRights, requireRights, VAULT_RIGHTS } from './acl.ts';
import type { ObjectStore } from './object-store.ts';
import type { MessageReadCache } from './read-cache.ts';
import { purgeObjects, recoverUnindexedMessages } from './recovery.ts';

/** Mailboxes per user: a client looping on CREATE must not grow the root index without end. */
export const MAX_MAILBOXES = 10_000;
/** The mailbox attribute that makes a mailbox read-only for everyone (the vault's namespace). */
const READ_ONLY_VAULT = 'readonlyvault';

type CreateRecord = Extract<JournalRecord, { t: 'create' }>;

export const DEFAULT_MAILBOXES: { name: string; specialUse: SpecialUse | null }[] = [
  { name: 'INBOX', specialUse: null },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

export interface UserStoreDeps {
  user: string;
  config: Config;
  objects: ObjectStore;
  codec: Codec;
  persistence: IndexPersistence;
  /** Recently read messages, one budget for all of the provider's users (read-cache.ts). */
  readCache: MessageReadCache;
  log?: Logger;
  /** Called by release(); the provider does the reference counting. */
  onRelease: () => Promise<void>;
}

export class UserStore implements UserMailStore, ViewHost {
  readonly user: string;
  index!: UserIndex;
  private readonly runtimes = new Map<string, MailboxRuntime>();
  private readonly locks = new Map<string, string>();
  /** METADATA entries, loaded on first use. */
  private metadata: MetadataStore | null = null;
  /** The user-level change feed (onMailboxChange). */
  private readonly changeListeners = new Set<MailboxChangeListener>();
  /** Expunged objects waiting for the index upload that lets them go (purge()). */
  private readonly purgeQueue = new Set<string>();

  private constructor(private readonly deps: UserStoreDeps) {
    this.user = deps.user;
  }

  static async open(deps: UserStoreDeps): Promise<UserStore> {
    const s = new UserStore(deps);
    const { index, fresh } = await deps.persistence.load();
    s.index = index;
    const recs: JournalRecord[] = [];
    if (fresh && index.mailboxes.size === 0) {
      for (const m of DEFAULT_MAILBOXES) recs.push(s.createRecord(m.name, m.specialUse, recs));
      for (const m of DEFAULT_MAILBOXES) recs.push({ t: 'sub', name: m.name, on: true });
    } else if (!index.get('INBOX')?.index) {
      recs.push(s.createRecord('INBOX', null, recs));
    }
    if (recs.length > 0) await s.commit(recs);
    await recoverUnindexedMessages(s, deps.objects, deps.log);
    // Deletions a crash interrupted: no view exists yet, so nothing can still need them.
    await purgeObjects(s, [...index.pendingPurge], deps.log);
    return s;
  }

  get objects(): ObjectStore {
    return this.deps.objects;
  }

  /** Apply records now, resolve when durable. */
  async commit(recs: JournalRecord[], after?: () => JournalRecord[]): Promise<void> {
    for (const r of recs) this.index.apply(r);
    if (after) {
      // Records that depend on the state right after `recs`, journaled in the same batch.
      const more = after();
      for (const r of more) this.index.apply(r);
      recs = recs.concat(more);
    }
    try {
      await this.deps.persistence.commit(recs);
    } catch (err) {
      this.deps.log?.error({ err, user: this.user }, 'journal commit failed');
      throw isStorageError(err) ? err : new StorageError('TEMPORARY', 'could not save the change', { cause: err });
    }
  }

  /** A create record with a UIDVALIDITY above any earlier one (including pending records). */
  createRecord(name: string, specialUse: SpecialUse | null, pending: JournalRecord[] = []): CreateRecord {
    let uv = this.index.nextUidValidity();
    for (const p of pending) if ((p.t === 'create' || p.t === 'rename-inbox') && p.uidValidity >= uv) uv = p.uidValidity + 1;
    return { t: 'create', name, guid: newGuid(), uidValidity: uv, specialUse };
  }

  runtime(guid: string): MailboxRuntime {
    let r = this.runtimes.get(guid);
    if (!r) {
      this.runtimes.set(guid, (r = new MailboxRuntime(guid)));
      r.onPurge = (guids) => this.purge(guids);
    }
    return r;
  }

  /** Records marking the objects of these GUIDs for deletion if nothing refers to them now. */
  private purgeRecords(guids: string[]): () => JournalRecord[] {
    return () => {
      const gone = this.index.unreferenced(guids);
      return gone.length > 0 ? [{ t: 'purge', guids: gone, on: true }] : [];
    };
  }

  /**
   * Deletes these objects once an upload holds their purge marks (committed already): the upload
   * policy's next diff, the logout flush, or close. Forcing an upload per EXPUNGE cost the
   * persistent IMAP mix ~30 % (core/storage/README.md, "Deletion and sweep"). Until then they
   * wait in purgeQueue, which unload drains with a forced upload.
   */
  private purge(guids: string[]): void {
    for (const g of guids) this.purgeQueue.add(g);
    // Without whenUploaded nothing is shared (memory persistence): they may go now.
    const marksUploaded = this.deps.persistence.whenUploaded?.() ?? Promise.resolve();
    void marksUploaded.then(() => this.deletePurged(guids, true));
  }

  /** Unload: what still waits goes now, after a forced upload of the index. */
  private drainPurges(): Promise<void> {
    return this.deletePurged([...this.purgeQueue], false);
  }

  /** Deletes those of `guids` still queued, still marked and unreferenced. */
  private async deletePurged(guids: string[], marksUploaded: boolean): Promise<void> {
    const due = guids.filter((g) => this.purgeQueue.delete(g) && this.index.pendingPurge.has(g));
    await purgeObjects(this, this.index.unreferenced(due), this.deps.log, { marksUploaded }).catch((err) =>
      this.deps.log?.warn({ err, user: this.user }, 'purge failed; retried at next load'),
    );
  }

  // ---- UserMailStore ----

  async listMailboxes(): Promise<MailboxInfo[]> {
    const out = [...this.index.mailboxes.values()].map((e) => ({
      name: e.name,
      guid: e.guid,
      specialUse: e.specialUse,
      subscribed: this.index.subscriptions.has(e.name),
      noSelect: e.noSelect,
    }));
    return out.sort((a, b) => (isInbox(a.name) ? -1 : isInbox(b.name) ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async createMailbox(name: string, opts?: { specialUse?: SpecialUse }): Promise<void> {
    const n = normalizeMailboxName(name);
    const old = this.index.get(n);
    if (old && !old.noSelect) throw new StorageError('EXISTS', `mailbox exists: ${n}`);
    const recs = this.parentRecords(n);
    recs.push(this.createRecord(n, opts?.specialUse ?? null, recs));
    if (this.index.mailboxes.size + recs.length > MAX_MAILBOXES) throw new StorageError('LIMIT', 'too many mailboxes');
    await this.commit(recs);
    for (const r of recs) if (r.t === 'create') this.emitChange(r.name, 'list');
  }

  async deleteMailbox(name: string): Promise<void> {
    const n = normalizeMailboxName(name);
    if (isInbox(n)) throw new StorageError('NO_PERMISSION', 'INBOX cannot be deleted');
    const e = this.index.get(n);
    if (!e) throw new StorageError('NOT_FOUND', `no such mailbox: ${n}`);
    if (e.noSelect && this.index.hasChildren(n)) throw new StorageError('INVALID', `${n} has children and is not selectable`);
    const guids = e.index ? allGuids(e.index) : [];
    await this.commit([{ t: 'delete', name: n }], this.purgeRecords(guids));
    this.runtimes.get(e.guid)?.push({ kind: 'deleted' }, null);
    this.locks.delete(e.guid);
    this.emitChange(n, 'list');
    this.purge(guids);
  }

  async renameMailbox(from: string, to: string): Promise<void> {
    const f = normalizeMailboxName(from);
    const t = normalizeMailboxName(to);
    if (!this.index.get(f)) throw new StorageError('NOT_FOUND', `no such mailbox: ${f}`);
    if (this.index.get(t)) throw new StorageError('EXISTS', `mailbox exists: ${t}`);
    if (isInbox(t)) throw new StorageError('EXISTS', 'INBOX exists');
    if (isDescendant(t, f)) throw new StorageError('INVALID', 'cannot rename a mailbox into itself');
    // Children move with their parent (except INBOX's): the change feed names each of them.
    const children = isInbox(f) ? [] : [...this.index.mailboxes.values()].map((e) => e.name).filter((n) => isDescendant(n, f));
    const recs = this.parentRecords(t);
    if (isInbox(f)) {
      const c = this.createRecord('INBOX', null, recs);
      recs.push({ t: 'rename-inbox', to: t, newGuid: c.guid, uidValidity: c.uidValidity });
    } else {
      recs.push({ t: 'rename', from: f, to: t });
    }
    await this.commit(recs);
    for (const r of recs) if (r.t === 'create') this.emitChange(r.name, 'list');
    this.emitChange(t, 'list', f);
    for (const c of children) this.emitChange(t + c.slice(f.length), 'list', c);
  }

  async setSubscribed(name: string, subscribed: boolean): Promise<void> {
    const n = normalizeMailboxName(name);
    if (this.index.subscriptions.has(n) === subscribed) return;
    await this.commit([{ t: 'sub', name: n, on: subscribed }]);
    this.emitChange(n, 'subscription');
  }

  async status(name: string): Promise<MailboxStatus> {
    const idx = this.index.selectable(normalizeMailboxName(name)).index;
    return {
      messages: idx.count,
      recent: idx.unclaimedRecentCount(),
      uidNext: idx.uidNext,
      uidValidity: idx.uidValidity,
      unseen: idx.unseenCount(),
      size: idx.totalSize,
      highestModseq: idx.highestModseq,
    };
  }

  async append(name: string, raw: Buffer, opts: AppendOptions = {}): Promise<AppendResult> {
    const n = normalizeMailboxName(name);
    const target = this.index.selectable(n);
    const limit = this.deps.config.limits.messageSize;
    if (raw.length > limit * 2) throw new StorageError('TOO_BIG', 'message is too big');
    const body = normalizeCrlf(raw);
    if (body.length > limit) throw new StorageError('TOO_BIG', 'message is too big');
    const flags = parseFlags(opts.flags ?? []);
    this.checkQuota(body.length, 1);
    const internalDate = opts.internalDate ? opts.internalDate.getTime() : Date.now();
    if (!Number.isFinite(internalDate)) throw new StorageError('INVALID', 'invalid internal date');
    const guid = newGuid();
    const saveDate = Date.now();
    const header = {
      guid, mailboxGuid: target.guid, mailboxName: n, internalDate, saveDate,
      flags: opts.flags ?? [], size: body.length, pop3Uidl: guid,
    };
    const obj = await this.guardIo(() =>
      encodeMessageObject(header, body, { compressMinBytes: this.deps.config.storage.compressMinBytes, codec: this.deps.codec }),
    );
    await this.guardIo(() => this.deps.objects.put(messageKey(this.user, guid), obj.data, obj.meta)).catch(async (err) => {
      // A failed PUT may still have landed (its answer was lost): remove it, or recovery would
      // later add a message whose APPEND/delivery was refused (and retried: a duplicate).
      await this.deps.objects.delete(messageKey(this.user, guid)).catch(() => {});
      throw err;
    });
    // The mailbox may have gone while the object was being written.
    const now = this.index.byGuid.get(target.guid);
    if (!now?.index) {
      await this.deps.objects.delete(messageKey(this.user, guid)).catch(() => {});
      throw new StorageError('NOT_FOUND', `mailbox was deleted: ${n}`);
    }
    const idx = now.index;
    const m: IndexRecord = {
      uid: idx.uidNext, guid, bits: flags.bits, keywords: flags.keywords, internalDate, saveDate,
      size: body.length, modseq: idx.highestModseq + 1, pop3Uidl: guid,
      hc: extractCachedHeaders(body),
    };
    await this.commit([{ t: 'append', mb: target.guid, m }]);
    this.runtimes.get(target.guid)?.push({ kind: 'append' }, null);
    this.emitChange(now.name, 'messages');
    return { uidValidity: idx.uidValidity, uid: m.uid, guid };
  }

  async openMailbox(name: string, opts: { readOnly: boolean }): Promise<MailboxView> {
    const n = normalizeMailboxName(name);
    const e = this.index.selectable(n);
    return new MailboxViewImpl(this, this.runtime(e.guid), n, e.index, opts.readOnly);
  }

  async lockExclusive(name: string, owner: string): Promise<() => void> {
    const e = this.index.selectable(normalizeMailboxName(name));
    const holder = this.locks.get(e.guid);
    if (holder !== undefined) throw new StorageError('IN_USE', `mailbox is locked by ${holder}`);
    this.locks.set(e.guid, owner);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.locks.get(e.guid) === owner) this.locks.delete(e.guid);
    };
  }

  async usage(): Promise<{ bytes: number; messages: number }> {
    return this.index.usage();
  }

  async getMetadata(mailbox: string | null): Promise<Map<string, Buffer>> {
    return this.metadataStore().get(this.metadataScope(mailbox));
  }

  async setMetadata(mailbox: string | null, changes: MetadataChange[]): Promise<void> {
    await this.guardIo(() => this.metadataStore().set(this.metadataScope(mailbox), changes));
  }

  /** ACL entries live in the metadata objects under their own scope, keyed by mailbox GUID. */
  async getAcl(mailbox: string): Promise<Map<string, string>> {
    const raw = await this.metadataStore().get('acl:' + this.metadataScope(mailbox));
    return new Map([...raw].map(([id, v]) => [id, v.toString('utf8')]));
  }

  async setAcl(mailbox: string, identifier: string, rights: string | null): Promise<void> {
    const scope = 'acl:' + this.metadataScope(mailbox);
    await this.guardIo(() => this.metadataStore().set(scope, [{ entry: identifier, value: rights === null ? null : Buffer.from(rights, 'utf8') }]));
  }

  async myRights(mailbox: string, identifier = this.user): Promise<string> {
    this.metadataScope(mailbox); // NOT_FOUND for a missing mailbox
    return this.rightsOf(mailbox, identifier);
  }

  /**
   * `actor`'s effective rights on a mailbox: the owner has every right, others get their ACL
   * entries; a read-only vault mailbox limits everyone (the owner included) to VAULT_RIGHTS.
   * A missing mailbox gives the owner every right (the operation itself then says NOT_FOUND)
   * and anyone else none (so it looks exactly like a hidden one).
   */
  async rightsOf(mailbox: string, actor: string): Promise<string> {
    const n = normalizeMailboxName(mailbox);
    const e = this.index.get(n);
    if (!e) return actor === this.user ? ALL_RIGHTS : '';
    const base = actor === this.user ? ALL_RIGHTS : effectiveRights(this.user, actor, await this.getAcl(n));
    if (!(await this.isReadOnlyVault(n))) return base;
    return [...base].filter((r) => VAULT_RIGHTS.includes(r)).join('');
  }

  /** Mailbox attributes live in the metadata objects too, in scope `attr:<guid>`. */
  async isReadOnlyVault(mailbox: string): Promise<boolean> {
    const attrs = await this.metadataStore().get('attr:' + this.metadataScope(mailbox));
    return attrs.get(READ_ONLY_VAULT)?.toString('utf8') === '1';
  }

  async setReadOnlyVault(mailbox: string, on: boolean): Promise<void> {
    const scope = 'attr:' + this.metadataScope(mailbox);
    await this.guardIo(() => this.metadataStore().set(scope, [{ entry: READ_ONLY_VAULT, value: on ? Buffer.from('1', 'utf8') : null }]));
  }

  /**
   * Fails unless `identifier` holds every right in `needed` (NOT_FOUND without `l`). The owner
   * passes without loading anything; other identifiers reach a store only through shared
   * mailboxes (later work), whose operations call this first.
   */
  async requireRights(mailbox: string, identifier: string, needed: string): Promise<void> {
    if (identifier === this.user) return;
    const n = normalizeMailboxName(mailbox);
    let rights = '';
    try {
      rights = await this.myRights(n, identifier);
    } catch (err) {
      if (!isStorageError(err, 'NOT_FOUND')) throw err;
    }
    requireRights(rights, needed, n);
  }

  /** '' for server entries, the mailbox GUID otherwise (entries follow a RENAME). */
  private metadataScope(mailbox: string | null): string {
    if (mailbox === null) return '';
    const n = normalizeMailboxName(mailbox);
    const e = this.index.get(n);
    if (!e) throw new StorageError('NOT_FOUND', `no such mailbox: ${n}`);
    return e.guid;
  }

  private metadataStore(): MetadataStore {
    const l = this.deps.config.limits;
    this.metadata ??= new MetadataStore(this.deps.objects, this.user, { valueSize: l.metadataValueSize, entries: l.metadataEntries }, takeMetadataListing(this.index));
    return this.metadata;
  }

  onMailboxChange(listener: MailboxChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }

  private emitChange(name: string, kind: MailboxChangeKind, oldName?: string): void {
    for (const l of [...this.changeListeners]) {
      try {
        l(name, kind, oldName);
      } catch (err) {
        // A listener's failure must not fail the change that is already durable.
        this.deps.log?.warn({ err, user: this.user }, 'mailbox change listener failed');
      }
    }
  }

  private emitChangeOf(mailboxGuid: string, kind: MailboxChangeKind): void {
    const name = this.index.byGuid.get(mailboxGuid)?.name;
    if (name !== undefined) this.emitChange(name, kind);
  }

  release(): Promise<void> {
    return this.deps.onRelease();
  }

  /** Flush the index (snapshot) and stop. Called by the provider when the last ref goes. */
  async unload(): Promise<void> {
    this.deps.readCache.dropUser(this.user);
    await this.drainPurges();
    await this.deps.persistence.close();
  }

  async flush(): Promise<void> {
    await this.deps.persistence.flush();
  }

  /** RecoveryHost: the purge marks are in the object store (objects may go). */
  async indexUploaded(): Promise<void> {
    await this.deps.persistence.uploaded?.();
  }

  // ---- ViewHost ----

  indexOf(mailboxGuid: string): MailboxIndex | null {
    return this.index.byGuid.get(mailboxGuid)?.index ?? null;
  }

  async readMessage(guid: string): Promise<Buffer> {
    const hit = this.deps.readCache.get(this.user, guid);
    if (hit) return hit;
    const raw = await this.fetchMessage(guid);
    // A kept buffer is shared with later readers: callers may write into what they get.
    return this.deps.readCache.put(this.user, guid, raw) ? Buffer.from(raw) : raw;
  }

  private async fetchMessage(guid: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = (await this.deps.objects.get(messageKey(this.user, guid))).data;
    } catch (err) {
      if (isStorageError(err, 'NOT_FOUND')) throw new StorageError('EXPUNGED', 'message was expunged');
      throw asStorageError(err);
    }
    return (await this.guardIo(() => decodeMessageObject(data, this.deps.codec))).raw;
  }

  async storeFlags(view: RuntimeView, mb: string, uids: number[], op: StoreOperation, flags: string[], unchangedSince?: number): Promise<StoreResult> {
    const idx = this.indexOf(mb);
    if (!idx) throw new StorageError('NOT_FOUND', 'mailbox was deleted');
    const want = parseFlags(flags);
    const changed: number[] = [];
    const bits: number[] = [];
    const kw: string[][] = [];
    const failedUnchangedSince: number[] = [];
    for (const uid of [...new Set(uids)].sort((a, b) => a - b)) {
      const pos = idx.positionOf(uid);
      if (pos < 0) continue;
      if (unchangedSince !== undefined && idx.modseqs[pos]! > unchangedSince) {
        failedUnchangedSince.push(uid);
        continue;
      }
      const oldBits = idx.flags[pos]!;
      const oldKw = idx.keywordsAt(pos);
      const next = applyFlagOperation(oldBits, oldKw, op, want.bits, want.keywords);
      if (next.bits === oldBits && sameKeywordSet(oldKw, next.keywords)) continue;
      changed.push(uid);
      bits.push(next.bits);
      kw.push(next.keywords);
    }
    if (changed.length > 0) {
      for (const k of want.keywords) if (op !== 'remove') idx.keywordId(k); // LIMIT before commit
      await this.commit([{ t: 'flags', mb, modseq: idx.highestModseq + 1, uids: changed, bits, kw }]);
      this.runtime(mb).push({ kind: 'flags', uids: changed, origin: view }, view);
      this.emitChangeOf(mb, 'flags');
    }
    return { changed, failedUnchangedSince };
  }

  async expunge(view: RuntimeView, mb: string, uids: number[]): Promise<number[]> {
    const idx = this.indexOf(mb);
    if (!idx) throw new StorageError('NOT_FOUND', 'mailbox was deleted');
    const metas = new Map<number, ReturnType<MailboxIndex['meta']>>();
    for (const uid of uids) {
      const pos = idx.positionOf(uid);
      if (pos >= 0) metas.set(uid, idx.meta(pos));
    }
    const done = [...metas.keys()].sort((a, b) => a - b);
    if (done.length === 0) return [];
    const guids = [...metas.values()].map((m) => m.guid);
    // The index changes as commit() starts; the views must hear of it at once, not after the
    // fsync: a view that syncs in between would otherwise keep rows the index no longer has.
    const durable = this.commit([{ t: 'expunge', mb, modseq: idx.highestModseq + 1, uids: done }], this.purgeRecords(guids));
    // Objects go when every view has synced past the expunge (they may still FETCH until then).
    const kept = this.runtime(mb).push({ kind: 'expunge', uids: done, metas, origin: view, purge: guids }, view);
    await durable;
    this.emitChangeOf(mb, 'messages');
    if (!kept) this.purge(guids);
    return done;
  }

  async copy(view: RuntimeView, mb: string, uids: number[], destination: string, move: boolean): Promise<CopyResult> {
    const src = this.indexOf(mb);
    if (!src) throw new StorageError('NOT_FOUND', 'mailbox was deleted');
    const dest = this.index.selectable(normalizeMailboxName(destination));
    const sourceUids = [...new Set(uids)].filter((u) => src.positionOf(u) >= 0).sort((a, b) => a - b);
    if (sourceUids.length === 0) return { uidValidity: dest.index.uidValidity, sourceUids: [], destUids: [] };
    if (!move) {
      let bytes = 0;
      for (const u of sourceUids) bytes += src.sizes[src.positionOf(u)]!;
      this.checkQuota(bytes, sourceUids.length);
    }
    const d = dest.index;
    const modseq = d.highestModseq + 1;
    const now = Date.now();
    const recs: JournalRecord[] = [];
    const destUids: number[] = [];
    const metas = new Map<number, ReturnType<MailboxIndex['meta']>>();
    sourceUids.forEach((u, i) => {
      const pos = src.positionOf(u);
      const m = src.meta(pos);
      // The copy is the same bytes, so it carries the source's header cache (when known).
      const hc = src.cachedHeadersAt(pos);
      metas.set(u, m);
      const uid = d.uidNext + i;
      destUids.push(uid);
      const pf = parseFlags(m.flags);
      // A copy shares the object but is another message: POP3 needs a UIDL of its own (RFC 1939
      // unique-id); a move is the same message and keeps its UIDL.
      const pop3Uidl = move ? m.pop3Uidl : newGuid();
      recs.push({
        t: 'append', mb: dest.guid,
        m: { uid, guid: m.guid, bits: pf.bits, keywords: pf.keywords, internalDate: m.internalDate, saveDate: now, size: m.size, modseq, pop3Uidl, ...(hc !== null ? { hc } : {}) },
      });
    });
    if (move) recs.push({ t: 'expunge', mb, modseq: src.highestModseq + (dest.guid === mb ? 2 : 1), uids: sourceUids });
    const durable = this.commit(recs);
    if (move) this.runtime(mb).push({ kind: 'expunge', uids: sourceUids, metas, origin: view }, view); // at once, as in expunge()
    await durable;
    this.runtimes.get(dest.guid)?.push({ kind: 'append' }, null);
    this.emitChangeOf(dest.guid, 'messages');
    if (move && dest.guid !== mb) this.emitChangeOf(mb, 'messages');
    return { uidValidity: d.uidValidity, sourceUids, destUids };
  }

  claimRecent(mb: string): [number, number] | null {
    const idx = this.indexOf(mb);
    if (!idx || idx.firstRecentUid >= idx.uidNext) return null;
    const range: [number, number] = [idx.firstRecentUid, idx.uidNext];
    // Not awaited: losing a \Recent claim in a crash only makes messages recent again.
    this.commit([{ t: 'recent', mb, firstRecentUid: idx.uidNext }]).catch(() => {});
    return range;
  }

  viewClosed(_view: MailboxViewImpl): void {}

  // ---- helpers ----

  private parentRecords(name: string): JournalRecord[] {
    const recs: JournalRecord[] = [];
    for (const p of parentNames(name)) if (!this.index.get(p)) recs.push(this.createRecord(p, null, recs));
    return recs;
  }

  private checkQuota(bytes: number, messages: number): void {
    const q = this.deps.config.quota;
    if (q.storageBytes === 0 && q.messages === 0) return;
    const u = this.index.usage();
    if (q.storageBytes > 0 && u.bytes + bytes > q.storageBytes) throw new StorageError('OVER_QUOTA', 'storage quota exceeded');
    if (q.messages > 0 && u.messages + messages > q.messages) throw new StorageError('OVER_QUOTA', 'message quota exceeded');
  }

  private async guardIo<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw asStorageError(err);
    }
  }
}

export function asStorageError(err: unknown): StorageError {
  if (isStorageError(err)) return err;
  return new StorageError('TEMPORARY', 'storage operation failed', { cause: err });
}

function allGuids(idx: MailboxIndex): string[] {
  const out: string[] = [];
  for (let i = 0; i < idx.count; i++) out.push(idx.guidAt(i));
  return out;
}
