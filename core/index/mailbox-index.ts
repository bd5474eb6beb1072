/**
 * One mailbox's index as columns in typed arrays, so a mailbox of a million messages is a
 * handful of buffers, not a million objects. Rows are ordered by UID (UIDs only grow), so
 * uid → position is a binary search. Mutations are deterministic and synchronous: the journal
 * replays exactly the same calls.
 */
import { StorageError } from '../storage/errors.ts';
import type { MessageMeta } from '../storage/mail-store.ts';
import { ExpungeLog } from './expunge-log.ts';
import { holdsEnvelope } from './header-cache.ts';
import { bitsToFlags, FLAG_DELETED, FLAG_SEEN } from './flags.ts';
import { indexOfUid, lowerBoundUid } from './uid-search.ts';

/** Keyword ids are Uint16; far fewer are allowed so a runaway client cannot bloat the index. */
export const MAX_KEYWORDS_PER_MAILBOX = 4096;
const GUID_BYTES = 16;

export interface IndexRecord {
  uid: number;
  guid: string;
  bits: number;
  keywords: string[];
  internalDate: number;
  saveDate: number;
  size: number;
  modseq: number;
  pop3Uidl: string;
  /** Cached header block (see header-cache.ts); absent in records written before it existed. */
  hc?: string | null;
}

export interface MailboxHeader {
  guid: string;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** Lowest UID that no session has claimed as \Recent yet. */
  firstRecentUid: number;
}

export class MailboxIndex {
  guid: string;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  firstRecentUid: number;
  count = 0;
  uids: Uint32Array;
  flags: Uint8Array;
  modseqs: Float64Array;
  internalDates: Float64Array;
  saveDates: Float64Array;
  sizes: Float64Array;
  guids: Uint8Array;
  /** Per row: keyword ids, or null (most messages have none). */
  keywords: (Uint16Array | null)[] = [];
  keywordNames: string[] = [];
  /** Per row: cached header block (header-cache.ts), or null when not (yet) known. */
  headerCache: (string | null)[] = [];
  private keywordIds = new Map<string, number>();
  /** POP3 UIDLs that differ from the GUID (migrated mail), by UID. */
  uidls = new Map<number, string>();
  totalSize = 0;
  /** Expunged UIDs with their MODSEQ, for QRESYNC (kept through journal replay and bundles). */
  expungeLog = new ExpungeLog();

  constructor(h: MailboxHeader, capacity = 16) {
    this.guid = h.guid;
    this.uidValidity = h.uidValidity;
    this.uidNext = h.uidNext;
    this.highestModseq = h.highestModseq;
    this.firstRecentUid = h.firstRecentUid;
    this.uids = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.modseqs = new Float64Array(capacity);
    this.internalDates = new Float64Array(capacity);
    this.saveDates = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.guids = new Uint8Array(capacity * GUID_BYTES);
  }

  header(): MailboxHeader {
    const { guid, uidValidity, uidNext, highestModseq, firstRecentUid } = this;
    return { guid, uidValidity, uidNext, highestModseq, firstRecentUid };
  }

  /** Row of a UID, or -1. */
  positionOf(uid: number): number {
    return indexOfUid(this.uids, this.count, uid);
  }

  /** First row whose UID is >= uid (count when none). */
  lowerBound(uid: number): number {
    return lowerBoundUid(this.uids, this.count, uid);
  }

  guidAt(pos: number): string {
    return Buffer.from(this.guids.buffer, this.guids.byteOffset + pos * GUID_BYTES, GUID_BYTES).toString('hex');
  }

  keywordsAt(pos: number): string[] {
    const ids = this.keywords[pos];
    if (!ids) return [];
    return Array.from(ids, (id) => this.keywordNames[id]!);
  }

  flagsAt(pos: number): string[] {
    return [...bitsToFlags(this.flags[pos]!), ...this.keywordsAt(pos)];
  }

  meta(pos: number): MessageMeta {
    const uid = this.uids[pos]!;
    const guid = this.guidAt(pos);
    return {
      uid,
      guid,
      flags: this.flagsAt(pos),
      internalDate: this.internalDates[pos]!,
      saveDate: this.saveDates[pos]!,
      size: this.sizes[pos]!,
      modseq: this.modseqs[pos]!,
      pop3Uidl: this.uidls.get(uid) ?? guid,
    };
  }

  cachedHeadersAt(pos: number): string | null {
    return this.headerCache[pos] ?? null;
  }

  /** True when the row has no cache entry, or one made before it held the ENVELOPE fields. */
  wantsCachedHeaders(pos: number): boolean {
    if (pos < 0 || pos >= this.count) return false;
    const old = this.headerCache[pos];
    return old == null || !holdsEnvelope(old);
  }

  /** Fills the entry of a row that wants one (lazily, after a read); not journaled, snapshots keep it. */
  fillCachedHeaders(pos: number, block: string): void {
    if (this.wantsCachedHeaders(pos)) this.headerCache[pos] = block;
  }

  /** Keyword name → id, creating it. Case-insensitive like IMAP flags. */
  keywordId(name: string): number {
    const lower = name.toLowerCase();
    let id = this.keywordIds.get(lower);
    if (id === undefined) {
      if (this.keywordNames.length >= MAX_KEYWORDS_PER_MAILBOX) throw new StorageError('LIMIT', 'too many keywords in mailbox');
      id = this.keywordNames.length;
      this.keywordNames.push(name);
      this.keywordIds.set(lower, id);
    }
    return id;
  }

  hasKeyword(name: string): boolean {
    return this.keywordIds.has(name.toLowerCase());
  }

  /** Keyword ids of a list of names (creating them), sorted, or null when empty. */
  keywordIdList(names: readonly string[]): Uint16Array | null {
    if (names.length === 0) return null;
    const ids = [...new Set(names.map((n) => this.keywordId(n)))].sort((a, b) => a - b);
    return new Uint16Array(ids);
  }

  /** Add a row. UIDs must grow; the journal and recovery rely on this. */
  append(r: IndexRecord): number {
    if (r.uid < this.uidNext && this.count > 0 && r.uid <= this.uids[this.count - 1]!) {
      throw new StorageError('TEMPORARY', `index append out of order (uid ${r.uid})`);
    }
    this.ensureCapacity(this.count + 1);
    const p = this.count;
    this.uids[p] = r.uid;
    this.flags[p] = r.bits;
    this.modseqs[p] = r.modseq;
    this.internalDates[p] = r.internalDate;
    this.saveDates[p] = r.saveDate;
    this.sizes[p] = r.size;
    this.guids.set(Buffer.from(r.guid, 'hex').subarray(0, GUID_BYTES), p * GUID_BYTES);
    this.keywords[p] = this.keywordIdList(r.keywords);
    this.headerCache[p] = typeof r.hc === 'string' ? r.hc : null;
    if (r.pop3Uidl && r.pop3Uidl !== r.guid) this.uidls.set(r.uid, r.pop3Uidl);
    this.expungeLog.readded(r.guid);
    this.count++;
    this.totalSize += r.size;
    if (r.uid >= this.uidNext) this.uidNext = r.uid + 1;
    if (r.modseq > this.highestModseq) this.highestModseq = r.modseq;
    return p;
  }

  setFlags(pos: number, bits: number, keywords: Uint16Array | null, modseq: number): void {
    this.flags[pos] = bits;
    this.keywords[pos] = keywords && keywords.length > 0 ? keywords : null;
    this.modseqs[pos] = modseq;
    if (modseq > this.highestModseq) this.highestModseq = modseq;
  }

  /** Remove the rows of these UIDs (one compaction pass). Returns the rows removed, as metadata. */
  expunge(uids: Iterable<number>, modseq: number): MessageMeta[] {
    const drop = new Set<number>();
    for (const u of uids) if (this.positionOf(u) >= 0) drop.add(u);
    const removed: MessageMeta[] = [];
    if (drop.size === 0) return removed;
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      const uid = this.uids[r]!;
      if (drop.has(uid)) {
        removed.push(this.meta(r));
        this.totalSize -= this.sizes[r]!;
        this.uidls.delete(uid);
        continue;
      }
      if (w !== r) this.moveRow(r, w);
      w++;
    }
    this.keywords.length = w;
    this.headerCache.length = w;
    this.count = w;
    if (modseq > this.highestModseq) this.highestModseq = modseq;
    this.expungeLog.record(drop, modseq, removed.map((m) => m.guid));
    return removed;
  }

  unseenCount(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if ((this.flags[i]! & FLAG_SEEN) === 0) n++;
    return n;
  }

  deletedUids(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.flags[i]! & FLAG_DELETED) out.push(this.uids[i]!);
    return out;
  }

  /** Messages with UID >= firstRecentUid: not yet claimed as \Recent by any session. */
  unclaimedRecentCount(): number {
    return this.count - this.lowerBound(this.firstRecentUid);
  }

  private moveRow(from: number, to: number): void {
    this.uids[to] = this.uids[from]!;
    this.flags[to] = this.flags[from]!;
    this.modseqs[to] = this.modseqs[from]!;
    this.internalDates[to] = this.internalDates[from]!;
    this.saveDates[to] = this.saveDates[from]!;
    this.sizes[to] = this.sizes[from]!;
    this.guids.copyWithin(to * GUID_BYTES, from * GUID_BYTES, (from + 1) * GUID_BYTES);
    this.keywords[to] = this.keywords[from]!;
    this.headerCache[to] = this.headerCache[from] ?? null;
  }

  ensureCapacity(n: number): void {
    if (n <= this.uids.length) return;
    let cap = Math.max(16, this.uids.length);
    while (cap < n) cap *= 2;
    this.uids = grow(this.uids, new Uint32Array(cap));
    this.flags = grow(this.flags, new Uint8Array(cap));
    this.modseqs = grow(this.modseqs, new Float64Array(cap));
    this.internalDates = grow(this.internalDates, new Float64Array(cap));
    this.saveDates = grow(this.saveDates, new Float64Array(cap));
    this.sizes = grow(this.sizes, new Float64Array(cap));
    this.guids = grow(this.guids, new Uint8Array(cap * GUID_BYTES));
  }

  /** Replace the keyword table (bundle load). */
  loadKeywordNames(names: string[]): void {
    this.keywordNames = [...names];
    this.keywordIds = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  }
}

function grow<T extends Uint8Array | Uint32Array | Float64Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}

export { GUID_BYTES };
