/**
 * Index bundles: a mailbox's columns as one binary object, and the user's root (mailbox list)
 * as JSON. Column bytes are copied out whole, so loading 100k messages is a few memcpy, not
 * 100k objects.
 *
 * Mailbox bundle: "CLMI" | u32 header length | header JSON | uids u32 | flags u8 | modseqs f64 |
 * internal dates f64 | save dates f64 | sizes f64 | guids 16 B each | keyword counts u16 |
 * keyword ids u16 (all rows concatenated) | [header cache: u32 length per row (NO_CACHE when
 * none) | the Latin-1 blocks concatenated; only when the JSON header has `hcBytes`].
 * Little-endian, as typed arrays are on every target.
 */
import { StorageError } from '../storage/errors.ts';
import { GUID_BYTES, MailboxIndex, type MailboxHeader } from './mailbox-index.ts';
import type { RootState } from './user-index.ts';
import type { JournalRecord } from './records.ts';
import { ExpungeLog, type ExpungeLogState } from './expunge-log.ts';

const MAGIC = Buffer.from('CLMI', 'latin1');

interface BundleHeader {
  v: 1;
  header: MailboxHeader;
  count: number;
  keywordNames: string[];
  uidls: [number, string][];
  keywordIdCount: number;
  /** QRESYNC expunge record; absent in bundles written before it existed. */
  expunged?: ExpungeLogState;
  /** Total bytes of cached header blocks; absent in bundles written before the cache (loaded empty). */
  hcBytes?: number;
}

/** Row length marking "no cached headers" (an empty block is a valid cache entry). */
const NO_CACHE = 0xffffffff;

function encodeHeaderCache(idx: MailboxIndex): { lens: Uint32Array; data: Buffer } {
  const n = idx.count;
  const lens = new Uint32Array(n);
  const blocks: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const block = idx.headerCache[i];
    if (typeof block !== 'string') {
      lens[i] = NO_CACHE;
      continue;
    }
    const b = Buffer.from(block, 'latin1');
    lens[i] = b.length;
    blocks.push(b);
  }
  return { lens, data: Buffer.concat(blocks) };
}

export function encodeMailboxBundle(idx: MailboxIndex): Buffer {
  const n = idx.count;
  const kwCounts = new Uint16Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += kwCounts[i] = idx.keywords[i]?.length ?? 0;
  const kwIds = new Uint16Array(total);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const ids = idx.keywords[i];
    if (ids) {
      kwIds.set(ids, o);
      o += ids.length;
    }
  }
  const hc = encodeHeaderCache(idx);
  const h: BundleHeader = {
    v: 1,
    header: idx.header(),
    count: n,
    keywordNames: idx.keywordNames,
    uidls: [...idx.uidls.entries()],
    keywordIdCount: total,
    expunged: idx.expungeLog.toState(),
    hcBytes: hc.data.length,
  };
  const json = Buffer.from(JSON.stringify(h), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const bytes = (a: ArrayBufferView, byteLen: number) => Buffer.from(a.buffer, a.byteOffset, byteLen);
  return Buffer.concat([
    MAGIC, len, json,
    bytes(idx.uids, n * 4),
    bytes(idx.flags, n),
    bytes(idx.modseqs, n * 8),
    bytes(idx.internalDates, n * 8),
    bytes(idx.saveDates, n * 8),
    bytes(idx.sizes, n * 8),
    bytes(idx.guids, n * GUID_BYTES),
    bytes(kwCounts, n * 2),
    bytes(kwIds, total * 2),
    bytes(hc.lens, n * 4),
    hc.data,
  ]);
}

export function decodeMailboxBundle(buf: Buffer): MailboxIndex {
  if (buf.length < 8 || !buf.subarray(0, 4).equals(MAGIC)) throw damaged();
  const jlen = buf.readUInt32LE(4);
  if (8 + jlen > buf.length) throw damaged();
  let h: BundleHeader;
  try {
    h = JSON.parse(buf.toString('utf8', 8, 8 + jlen)) as BundleHeader;
  } catch (err) {
    throw damaged(err);
  }
  const n = h.count;
  const hcBytes = h.hcBytes;
  const hcNeed = hcBytes === undefined ? 0 : n * 4 + hcBytes;
  const need = n * (4 + 1 + 8 * 4 + GUID_BYTES + 2) + h.keywordIdCount * 2 + hcNeed;
  if (h.v !== 1 || 8 + jlen + need !== buf.length) throw damaged();
  const idx = new MailboxIndex(h.header, Math.max(16, n));
  let o = 8 + jlen;
  // Copy into fresh (aligned) arrays: a Buffer slice may sit at any offset.
  const take = (bytes: number): Uint8Array => {
    const out = new Uint8Array(bytes);
    out.set(buf.subarray(o, o + bytes));
    o += bytes;
    return out;
  };
  idx.uids.set(new Uint32Array(take(n * 4).buffer));
  idx.flags.set(take(n));
  idx.modseqs.set(new Float64Array(take(n * 8).buffer));
  idx.internalDates.set(new Float64Array(take(n * 8).buffer));
  idx.saveDates.set(new Float64Array(take(n * 8).buffer));
  idx.sizes.set(new Float64Array(take(n * 8).buffer));
  idx.guids.set(take(n * GUID_BYTES));
  const kwCounts = new Uint16Array(take(n * 2).buffer);
  const kwIds = new Uint16Array(take(h.keywordIdCount * 2).buffer);
  idx.loadKeywordNames(h.keywordNames);
  idx.keywords = new Array(n).fill(null);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = kwCounts[i]!;
    if (c > 0) idx.keywords[i] = kwIds.slice(k, k + c);
    k += c;
  }
  idx.headerCache = new Array<string | null>(n).fill(null);
  if (hcBytes !== undefined) {
    const lens = new Uint32Array(take(n * 4).buffer);
    let at = o;
    for (let i = 0; i < n; i++) {
      const len = lens[i]!;
      if (len === NO_CACHE) continue;
      if (at + len > o + hcBytes) throw damaged();
      idx.headerCache[i] = buf.toString('latin1', at, at + len);
      at += len;
    }
    if (at !== o + hcBytes) throw damaged();
    o = at;
  }
  idx.uidls = new Map(h.uidls);
  idx.count = n;
  let total = 0;
  for (let i = 0; i < n; i++) total += idx.sizes[i]!;
  idx.totalSize = total;
  // An older bundle has no record: nothing below its HIGHESTMODSEQ is known exactly.
  idx.expungeLog = h.expunged ? ExpungeLog.fromState(h.expunged) : new ExpungeLog(h.header.highestModseq);
  return idx;
}

/** The root bundle: mailbox list plus where each mailbox's bundle is, and the journal generation it covers. */
export interface RootBundle {
  v: 1;
  /** Journals with a generation above this one are replayed on top. */
  gen: number;
  root: RootState;
  /** Mailbox GUID → bundle key. */
  bundles: Record<string, string>;
  /**
   * Mailbox GUID → its mailbox bundle (base64) embedded here instead of a separate object: small
   * mailboxes (storage.inlineBundleMax) cost no GET at a cold login. Absent in older root bundles.
   */
  inline?: Record<string, string>;
  /** Keys under i/root/ this bundle supersedes (heads.ts); absent in legacy bundles (newest wins). */
  parents?: string[];
  /** Who wrote it (host/pid/process tag), for logs and forensics. */
  writer?: string;
}

export function encodeRootBundle(b: RootBundle): Buffer {
  return Buffer.from(JSON.stringify(b), 'utf8');
}

export function decodeRootBundle(buf: Buffer): RootBundle {
  try {
    const b = JSON.parse(buf.toString('utf8')) as RootBundle;
    if (b.v !== 1 || !b.root || !Array.isArray(b.root.mailboxes)) throw new Error('bad root bundle');
    return b;
  } catch (err) {
    throw damaged(err);
  }
}

/** Every record since the base root bundle `base`; journals above `gen` come after it. */
export interface RootDiff {
  v: 1;
  base: string;
  gen: number;
  records: JournalRecord[];
  /** The base and this writer's previous diff of it (also readable from the key names). */
  parents?: string[];
  writer?: string;
}

export function encodeRootDiff(d: RootDiff): Buffer {
  return Buffer.from(JSON.stringify(d), 'utf8');
}

export function decodeRootDiff(buf: Buffer): RootDiff {
  try {
    const d = JSON.parse(buf.toString('utf8')) as RootDiff;
    if (d.v !== 1 || !Array.isArray(d.records)) throw new Error('bad diff');
    return d;
  } catch (err) {
    throw damaged(err);
  }
}

function damaged(cause?: unknown): StorageError {
  return new StorageError('TEMPORARY', 'damaged index bundle', { cause });
}
