/**
 * Merge of index heads: several UserIndex (one per head, each loaded from its root, bundles and
 * diff) folded into one, the way dsync merges two replicas.
 *
 * - Mailboxes by GUID (union). A mailbox one head deleted and the other still has comes back:
 *   without a record of deleted mailbox GUIDs the two cases "created on one side" and "deleted on
 *   the other" look alike, and keeping mail beats losing it. Name clashes (two GUIDs, one name,
 *   e.g. both backends created INBOX for a new user): the first head's mailbox keeps the name and
 *   the other's messages move into it as new messages (new UIDs), unless they are already there.
 * - Messages per mailbox: the WASM merge plan (merge-kernel.ts; merge-reference.ts has the
 *   rules); keywords follow the winning copy; rows a client of either head has not seen as they
 *   are get a MODSEQ above both heads; UIDs that vanished for either head go into the expunge log
 *   at that MODSEQ (QRESYNC). UIDVALIDITY is kept (the higher one if a head rebuilt the mailbox).
 * - Subscriptions, pending purges: union; a purge mark for a GUID some mailbox still refers to
 *   is dropped (the other head copied it), so purgeObjects never deletes a referenced object.
 */
import type { Logger } from 'pino';
import { sameKeywordSet } from './flags.ts';
import { ExpungeLog } from './expunge-log.ts';
import { mergePlanKernel } from './merge-kernel.ts';
import { GUID_LEN, mergePlanReference, NO_ROW, SIDE_B, type MergePlan, type MergeSide } from './merge-reference.ts';
import { MailboxIndex, type IndexRecord } from './mailbox-index.ts';
import { UserIndex } from './user-index.ts';

export type PlanFn = (a: MergeSide, b: MergeSide) => MergePlan;

let kernelBroken = false;

/** The kernel, or the reference when the WASM build is missing (logged once). */
export function defaultPlan(log?: Logger): PlanFn {
  return (a, b) => {
    if (!kernelBroken) {
      try {
        return mergePlanKernel(a, b);
      } catch (err) {
        kernelBroken = true;
        log?.error({ err }, 'merge kernel unavailable; using the TypeScript reference');
      }
    }
    return mergePlanReference(a, b);
  };
}

function sideOf(idx: MailboxIndex): MergeSide {
  const n = idx.count;
  const exp = [...idx.expungeLog.guids];
  const expunged = new Uint8Array(exp.length * GUID_LEN);
  exp.forEach((g, i) => expunged.set(Buffer.from(g, 'hex').subarray(0, GUID_LEN), i * GUID_LEN));
  return {
    count: n,
    uids: idx.uids.subarray(0, n),
    guids: idx.guids.subarray(0, n * GUID_LEN),
    modseqs: idx.modseqs.subarray(0, n),
    flags: idx.flags.subarray(0, n),
    saveDates: idx.saveDates.subarray(0, n),
    uidNext: idx.uidNext,
    expunged,
  };
}

function recordAt(idx: MailboxIndex, row: number, uid: number, modseq: number): IndexRecord {
  const m = idx.meta(row);
  return {
    uid, guid: m.guid, bits: idx.flags[row]!, keywords: idx.keywordsAt(row), internalDate: m.internalDate,
    saveDate: m.saveDate, size: m.size, modseq, pop3Uidl: m.pop3Uidl, hc: idx.cachedHeadersAt(row),
  };
}

/** Two heads' copies of one mailbox (same GUID) as one. */
export function mergeMailboxes(a: MailboxIndex, b: MailboxIndex, plan: PlanFn = defaultPlan()): MailboxIndex {
  const p = plan(sideOf(a), sideOf(b));
  const bump = Math.max(a.highestModseq, b.highestModseq) + 1;
  const out = new MailboxIndex(
    { guid: a.guid, uidValidity: Math.max(a.uidValidity, b.uidValidity), uidNext: 1, highestModseq: bump, firstRecentUid: Math.max(a.firstRecentUid, b.firstRecentUid) },
    Math.max(16, p.count),
  );
  out.keywords = new Array(p.count).fill(null);
  out.headerCache = new Array(p.count).fill(null);
  const at = (ref: number): [MailboxIndex, number] => (ref & SIDE_B ? [b, ref & ~SIDE_B] : [a, ref]);
  // Column copies, not append(): no hex GUID strings or row objects per message.
  const kwMap = new Map<MailboxIndex, Map<number, number>>([[a, new Map()], [b, new Map()]]);
  const mapKeywords = (src: MailboxIndex, ids: Uint16Array | null | undefined): Uint16Array | null => {
    if (!ids || ids.length === 0) return null;
    const m = kwMap.get(src)!;
    const outIds = Array.from(ids, (id) => {
      let o = m.get(id);
      if (o === undefined) m.set(id, (o = out.keywordId(src.keywordNames[id]!)));
      return o;
    });
    return new Uint16Array([...new Set(outIds)].sort((x, y) => x - y));
  };
  for (let k = 0; k < p.count; k++) {
    const [wi, wr] = at(p.winner[k]!);
    let changed = p.changed[k] === 1;
    if (!changed && p.other[k] !== NO_ROW) {
      const [oi, or] = at(p.other[k]!);
      const wk = wi.keywords[wr];
      const ok = oi.keywords[or];
      if ((wk?.length ?? 0) !== (ok?.length ?? 0) || (wk && ok && !sameKeywordSet(wi.keywordsAt(wr), oi.keywordsAt(or)))) changed = true;
    }
    const uid = p.uids[k]!;
    out.uids[k] = uid;
    out.flags[k] = wi.flags[wr]!;
    out.modseqs[k] = changed ? bump : wi.modseqs[wr]!;
    out.internalDates[k] = wi.internalDates[wr]!;
    out.saveDates[k] = wi.saveDates[wr]!;
    out.sizes[k] = wi.sizes[wr]!;
    for (let q = 0; q < G; q++) out.guids[k * G + q] = wi.guids[wr * G + q]!;
    out.keywords[k] = mapKeywords(wi, wi.keywords[wr]);
    out.headerCache[k] = wi.headerCache[wr] ?? null;
    const uidl = wi.uidls.get(wi.uids[wr]!);
    if (uidl !== undefined) out.uidls.set(uid, uidl);
    out.totalSize += wi.sizes[wr]!;
    out.count = k + 1;
  }
  out.uidNext = Math.max(p.count > 0 ? out.uids[p.count - 1]! + 1 : 1, p.uidNext);
  out.highestModseq = bump;
  // QRESYNC: a UID either head showed that no longer holds the same message vanished at `bump`.
  const log = ExpungeLog.union(a.expungeLog, b.expungeLog);
  const vanished: number[] = [];
  for (const side of [a, b]) {
    for (let r = 0; r < side.count; r++) {
      const pos = out.positionOf(side.uids[r]!);
      if (pos < 0 || !sameGuid(out.guids, pos, side.guids, r)) vanished.push(side.uids[r]!);
    }
  }
  log.record(vanished, bump);
  // No merged row's GUID is in `log.guids`: the plan drops rows the other side expunged, and a
  // side's own log never holds a GUID it still has (ExpungeLog.readded on every append).
  out.expungeLog = log;
  return out;
}

/** GUID bytes per row, as a local constant: hot loops should not read an imported binding. */
const G = 16;

function sameGuid(x: Uint8Array, i: number, y: Uint8Array, j: number): boolean {
  for (let k = 0; k < G; k++) if (x[i * G + k] !== y[j * G + k]) return false;
  return true;
}

/** Messages of `from` appended to `into` under new UIDs (a name clash of two mailboxes). */
function absorb(into: MailboxIndex, from: MailboxIndex): void {
  const have = new Set<string>();
  for (let r = 0; r < into.count; r++) have.add(into.guidAt(r));
  const modseq = Math.max(into.highestModseq, from.highestModseq) + 1;
  for (let r = 0; r < from.count; r++) {
    const guid = from.guidAt(r);
    if (have.has(guid) || into.expungeLog.guids.has(guid)) continue;
    into.append(recordAt(from, r, into.uidNext, modseq));
  }
  into.highestModseq = Math.max(into.highestModseq, modseq);
}

/** Fold every head into one index (heads in a stable order: the first wins name clashes). */
export function mergeUserIndexes(heads: UserIndex[], plan: PlanFn = defaultPlan()): UserIndex {
  const out = new UserIndex();
  const first = heads[0];
  if (!first) return out;
  for (const h of heads) {
    out.lastUidValidity = Math.max(out.lastUidValidity, h.lastUidValidity);
    for (const s of h.subscriptions) out.subscriptions.add(s);
    for (const g of h.pendingPurge) out.pendingPurge.add(g);
    for (const e of h.mailboxes.values()) {
      const mine = out.byGuid.get(e.guid);
      if (mine) {
        if (mine.index && e.index) mine.index = mergeMailboxes(mine.index, e.index, plan);
        else if (!mine.index && e.index) {
          mine.index = e.index;
          mine.noSelect = false;
        }
        continue;
      }
      const clash = out.mailboxes.get(e.name);
      if (clash) {
        if (clash.index && e.index) absorb(clash.index, e.index);
        else if (!clash.index && e.index) {
          clash.index = e.index;
          clash.noSelect = false;
        }
        continue;
      }
      out.add({ name: e.name, guid: e.guid, specialUse: e.specialUse, noSelect: e.noSelect, index: e.index });
    }
  }
  // Every message GUID still referenced keeps its object.
  const still = new Set(out.pendingPurge);
  for (const g of out.unreferenced(still)) still.delete(g);
  for (const g of still) out.pendingPurge.delete(g);
  return out;
}
