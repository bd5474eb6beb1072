/**
 * A session's window on a mailbox: its own UID list (the sequence mapping), which only moves
 * in sync(). Reads go to the shared index; changes go through the user store (journaled).
 */
import { StorageError } from './errors.ts';
import type { CopyResult, MailboxView, MessageMeta, StoreOperation, StoreResult, ViewUpdate } from './mail-store.ts';
import type { MailboxIndex } from '../index/mailbox-index.ts';
import { envelopeFields, extractCachedHeaders, parseCachedHeaders } from '../index/header-cache.ts';
import type { HeaderField } from '../mail/headers.ts';
import type { MailboxRuntime, RuntimeView } from './mailbox-runtime.ts';
import { indexOfUid, lowerBoundUid } from '../index/uid-search.ts';

/** What a view needs from the user store. */
export interface ViewHost {
  indexOf(mailboxGuid: string): MailboxIndex | null;
  readMessage(messageGuid: string): Promise<Buffer>;
  storeFlags(view: RuntimeView, mailboxGuid: string, uids: number[], op: StoreOperation, flags: string[], unchangedSince?: number): Promise<StoreResult>;
  expunge(view: RuntimeView, mailboxGuid: string, uids: number[]): Promise<number[]>;
  copy(view: RuntimeView, mailboxGuid: string, uids: number[], destination: string, move: boolean): Promise<CopyResult>;
  /** Claim every unclaimed \Recent message; returns [fromUid, toUidExclusive) or null. */
  claimRecent(mailboxGuid: string): [number, number] | null;
  viewClosed(view: MailboxViewImpl): void;
}

export class MailboxViewImpl implements MailboxView, RuntimeView {
  readonly name: string;
  readonly guid: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
  logPos: number;
  private uids: Uint32Array;
  private n: number;
  /** Highest UID this view knows about (new ones above it appear at sync). */
  private maxUid: number;
  /** Claimed \Recent UID ranges [from, to). */
  private recentRanges: [number, number][] = [];
  private recentN = 0;
  private listeners = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly host: ViewHost,
    private readonly runtime: MailboxRuntime,
    name: string,
    index: MailboxIndex,
    readOnly: boolean,
  ) {
    this.name = name;
    this.guid = index.guid;
    this.readOnly = readOnly;
    this.uidValidity = index.uidValidity;
    this.n = index.count;
    this.uids = index.uids.slice(0, Math.max(16, index.count));
    this.maxUid = index.uidNext - 1;
    this.logPos = runtime.end;
    runtime.views.add(this);
    if (!readOnly) this.claim();
    this.recentN = this.countRecent();
  }

  count(): number {
    return this.n;
  }

  uidAt(seq: number): number {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.n) throw new StorageError('INVALID', `no message ${seq}`);
    return this.uids[seq - 1]!;
  }

  seqOfUid(uid: number): number {
    return indexOfUid(this.uids, this.n, uid) + 1;
  }

  meta(seq: number): MessageMeta {
    const uid = this.uidAt(seq);
    const idx = this.host.indexOf(this.guid);
    const pos = idx ? idx.positionOf(uid) : -1;
    if (idx && pos >= 0) return idx.meta(pos);
    const m = this.runtime.expungedMeta(this.logPos, uid);
    if (m) return m;
    throw new StorageError('EXPUNGED', `message ${uid} was expunged`);
  }

  isRecent(seq: number): boolean {
    const uid = this.uidAt(seq);
    if (this.readOnly) {
      const idx = this.host.indexOf(this.guid);
      return !!idx && uid >= idx.firstRecentUid;
    }
    return this.inRecentRange(uid);
  }

  recentCount(): number {
    return this.recentN;
  }

  uidNext(): number {
    return this.maxUid + 1;
  }

  highestModseq(): number {
    return this.host.indexOf(this.guid)?.highestModseq ?? 0;
  }

  expungedSince(modseq: number): { ranges: number[]; exact: boolean } {
    const idx = this.host.indexOf(this.guid);
    if (!idx) return { ranges: [], exact: false };
    return idx.expungeLog.since(modseq);
  }

  async read(seq: number): Promise<Buffer> {
    const m = this.meta(seq);
    const raw = await this.host.readMessage(m.guid);
    this.fillHeaderCache(m.uid, raw);
    return raw;
  }

  cachedHeaders(seq: number): Map<string, string[]> | null {
    const block = this.cachedBlock(seq);
    return block === null ? null : parseCachedHeaders(block);
  }

  envelopeFields(seq: number): HeaderField[] | null {
    const block = this.cachedBlock(seq);
    return block === null ? null : envelopeFields(block);
  }

  private cachedBlock(seq: number): string | null {
    const idx = this.host.indexOf(this.guid);
    if (!idx || seq < 1 || seq > this.n) return null;
    const pos = idx.positionOf(this.uidAt(seq));
    return pos >= 0 ? idx.cachedHeadersAt(pos) : null;
  }

  /** Messages appended before the cache (or before it held ENVELOPE's fields) get it on their first read. */
  private fillHeaderCache(uid: number, raw: Buffer): void {
    const idx = this.host.indexOf(this.guid);
    const pos = idx ? idx.positionOf(uid) : -1;
    if (!idx || !idx.wantsCachedHeaders(pos)) return;
    const block = extractCachedHeaders(raw);
    if (block !== null) idx.fillCachedHeaders(pos, block);
  }

  async store(uids: number[], op: StoreOperation, flags: string[], unchangedSince?: number): Promise<StoreResult> {
    this.writable();
    return this.host.storeFlags(this, this.guid, uids.filter((u) => this.seqOfUid(u) > 0), op, flags, unchangedSince);
  }

  async expunge(uids?: number[]): Promise<number[]> {
    this.writable();
    const idx = this.host.indexOf(this.guid);
    if (!idx) throw new StorageError('NOT_FOUND', 'mailbox was deleted');
    const want = uids ? new Set(uids) : null;
    const deleted = idx.deletedUids().filter((u) => (!want || want.has(u)) && this.seqOfUid(u) > 0);
    if (deleted.length === 0) return [];
    return this.host.expunge(this, this.guid, deleted);
  }

  async copy(uids: number[], destination: string): Promise<CopyResult> {
    this.open();
    return this.host.copy(this, this.guid, uids.filter((u) => this.seqOfUid(u) > 0), destination, false);
  }

  async move(uids: number[], destination: string): Promise<CopyResult> {
    this.writable();
    return this.host.copy(this, this.guid, uids.filter((u) => this.seqOfUid(u) > 0), destination, true);
  }

  sync(): ViewUpdate {
    this.open();
    const events = this.runtime.eventsSince(this.logPos);
    this.logPos = this.runtime.end;
    const gone = new Set<number>();
    const changedUids = new Set<number>();
    for (const ev of events) {
      if (ev.kind === 'expunge') for (const u of ev.uids) gone.add(u);
      else if (ev.kind === 'flags' && ev.origin !== this) for (const u of ev.uids) changedUids.add(u);
    }
    const idx = this.host.indexOf(this.guid);
    if (!idx) for (let i = 0; i < this.n; i++) gone.add(this.uids[i]!); // mailbox deleted
    // Expunged: sequence numbers, descending, so each report leaves the lower ones valid.
    const expunged: number[] = [];
    const expungedUids: number[] = [];
    if (gone.size > 0) {
      let w = 0;
      for (let r = 0; r < this.n; r++) {
        const uid = this.uids[r]!;
        if (gone.has(uid)) expunged.push(r + 1), expungedUids.push(uid);
        else this.uids[w++] = uid;
      }
      this.n = w;
      expunged.reverse();
      expungedUids.reverse();
      if (this.recentRanges.length > 0) this.recentN = this.countRecent();
    }
    // New messages.
    let exists: number | null = null;
    // Measured after the expunges: clients lower their RECENT count with each EXPUNGE themselves.
    const oldRecent = this.recentN;
    if (idx && idx.uidNext - 1 > this.maxUid) {
      const from = idx.lowerBound(this.maxUid + 1);
      const add = idx.count - from;
      if (add > 0) {
        this.ensure(this.n + add);
        this.uids.set(idx.uids.subarray(from, idx.count), this.n);
        this.n += add;
        exists = this.n;
      }
      this.maxUid = idx.uidNext - 1;
      if (!this.readOnly) this.claim();
      this.recentN = this.countRecent();
    }
    const flagsChanged: number[] = [];
    for (const u of changedUids) {
      const s = this.seqOfUid(u);
      if (s > 0) flagsChanged.push(s);
    }
    flagsChanged.sort((a, b) => a - b);
    this.runtime.trim();
    return { expunged, expungedUids, exists, recent: this.recentN !== oldRecent || (exists !== null && !this.readOnly) ? this.recentN : null, flagsChanged };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // never let one session's listener break the writer
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.runtime.views.delete(this);
    this.runtime.trim();
    this.host.viewClosed(this);
  }

  /**
   * Claims only move up, so the ranges stay ascending and disjoint; a claim that starts where
   * the last one ended extends it. Without that, a session kept open for days held one range
   * per arrival, and every sync and FETCH FLAGS scanned them all (2 % of the event loop in the
   * persistent IMAP bench after 15 s).
   */
  private claim(): void {
    const r = this.host.claimRecent(this.guid);
    if (!r) return;
    const last = this.recentRanges[this.recentRanges.length - 1];
    if (last && last[1] === r[0]) last[1] = r[1];
    else this.recentRanges.push(r);
  }

  private inRecentRange(uid: number): boolean {
    const ranges = this.recentRanges;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const [a, b] = ranges[mid]!;
      if (uid < a) hi = mid - 1;
      else if (uid >= b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Messages of this view with a UID of at least `uid` (the UIDs are ascending). */
  private countFrom(uid: number): number {
    return this.n - lowerBoundUid(this.uids, this.n, uid);
  }

  private countRecent(): number {
    if (this.readOnly) {
      const idx = this.host.indexOf(this.guid);
      return idx ? this.countFrom(idx.firstRecentUid) : 0;
    }
    let c = 0;
    for (const [a, b] of this.recentRanges) c += this.countFrom(a) - this.countFrom(b);
    return c;
  }

  private ensure(cap: number): void {
    if (cap <= this.uids.length) return;
    const next = new Uint32Array(Math.max(cap, this.uids.length * 2));
    next.set(this.uids.subarray(0, this.n));
    this.uids = next;
  }

  private open(): void {
    if (this.closed) throw new StorageError('INVALID', 'mailbox view is closed');
  }

  private writable(): void {
    this.open();
    if (this.readOnly) throw new StorageError('NO_PERMISSION', 'mailbox is read-only');
  }
}
