/**
 * The per-mailbox message merge of two index heads, in plain TypeScript: the reference the
 * WASM kernel (wasm/merge.ts) must match row for row, and the fallback when it cannot load.
 *
 * Rules (dsync-like):
 * - a row whose GUID the OTHER side expunged is dropped (expunges win);
 * - rows with the same GUID on both sides are one message (k-th copy pairs with k-th copy, in
 *   UID order); its flags come from the copy with the higher MODSEQ (a tie: side A);
 * - a paired message keeps the lower of its two UIDs;
 * - two different messages on one UID: the later saved one (then the higher GUID, then side B)
 *   moves to a new UID at uidNext, in UID order of the conflicts;
 * - `changed` marks rows a client of either side has not seen as they are now (the caller gives
 *   them a MODSEQ above both heads).
 */

export const GUID_LEN = 16;
/** Bit 31 of a row reference: the row is side B's. */
export const SIDE_B = 0x80000000;
export const NO_ROW = 0xffffffff;

/** One side's columns (only the first `count` rows are read). */
export interface MergeSide {
  count: number;
  uids: Uint32Array;
  guids: Uint8Array;
  modseqs: Float64Array;
  flags: Uint8Array;
  saveDates: Float64Array;
  uidNext: number;
  /** GUIDs this side expunged (16 bytes each). */
  expunged: Uint8Array;
}

/** The merged mailbox, ordered by UID. Row references are `row | SIDE_B` for side B. */
export interface MergePlan {
  count: number;
  /** The copy whose flags and MODSEQ win. */
  winner: Uint32Array;
  /** The other copy of a paired message, or NO_ROW. */
  other: Uint32Array;
  uids: Uint32Array;
  changed: Uint8Array;
  uidNext: number;
}

const guidHex = (g: Uint8Array, row: number) => Buffer.from(g.buffer, g.byteOffset + row * GUID_LEN, GUID_LEN).toString('hex');

function guidSet(bytes: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + GUID_LEN <= bytes.length; i += GUID_LEN) out.add(guidHex(bytes, i / GUID_LEN));
  return out;
}

export function mergePlanReference(a: MergeSide, b: MergeSide): MergePlan {
  const expA = guidSet(a.expunged);
  const expB = guidSet(b.expunged);
  const dropA = new Uint8Array(a.count);
  const dropB = new Uint8Array(b.count);
  for (let i = 0; i < a.count; i++) if (expB.has(guidHex(a.guids, i))) dropA[i] = 1;
  for (let j = 0; j < b.count; j++) if (expA.has(guidHex(b.guids, j))) dropB[j] = 1;

  const bByGuid = new Map<string, number[]>();
  for (let j = 0; j < b.count; j++) {
    if (dropB[j]) continue;
    const g = guidHex(b.guids, j);
    const list = bByGuid.get(g);
    if (list) list.push(j);
    else bByGuid.set(g, [j]);
  }
  const pairA = new Int32Array(a.count).fill(-1);
  const pairB = new Int32Array(b.count).fill(-1);
  for (let i = 0; i < a.count; i++) {
    if (dropA[i]) continue;
    const j = bByGuid.get(guidHex(a.guids, i))?.shift();
    if (j !== undefined) {
      pairA[i] = j;
      pairB[j] = i;
    }
  }

  const cap = a.count + b.count;
  const plan: MergePlan = { count: 0, winner: new Uint32Array(cap), other: new Uint32Array(cap), uids: new Uint32Array(cap), changed: new Uint8Array(cap), uidNext: 0 };
  const reloc: [number, number][] = [];

  interface Entry { uid: number; winner: number; other: number; changed: number }
  const entryOfA = (i: number): Entry => {
    const j = pairA[i]!;
    if (j < 0) return { uid: a.uids[i]!, winner: i, other: NO_ROW, changed: 1 };
    const bWins = b.modseqs[j]! > a.modseqs[i]!;
    const changed = a.uids[i] !== b.uids[j] || a.flags[i] !== b.flags[j] ? 1 : 0;
    return { uid: Math.min(a.uids[i]!, b.uids[j]!), winner: bWins ? (j | SIDE_B) >>> 0 : i, other: bWins ? i : (j | SIDE_B) >>> 0, changed };
  };
  const entryOfB = (j: number): Entry => {
    const i = pairB[j]!;
    if (i < 0) return { uid: b.uids[j]!, winner: (j | SIDE_B) >>> 0, other: NO_ROW, changed: 1 };
    return entryOfA(i);
  };
  // Which rows a side emits: not dropped, and a paired message only from the side with the lower UID.
  const emitsA = (i: number) => !dropA[i] && (pairA[i]! < 0 || a.uids[i]! <= b.uids[pairA[i]!]!);
  const emitsB = (j: number) => !dropB[j] && (pairB[j]! < 0 || b.uids[j]! < a.uids[pairB[j]!]!);
  const saveOf = (ref: number) => (ref & SIDE_B ? b.saveDates[ref & ~SIDE_B]! : a.saveDates[ref]!);
  const guidOf = (ref: number) => (ref & SIDE_B ? b.guids.subarray((ref & ~SIDE_B) * GUID_LEN, ((ref & ~SIDE_B) + 1) * GUID_LEN) : a.guids.subarray(ref * GUID_LEN, (ref + 1) * GUID_LEN));
  /** True when x (from A's list) keeps the UID over y (from B's list). */
  const keeps = (x: Entry, y: Entry) => {
    const sx = saveOf(x.winner);
    const sy = saveOf(y.winner);
    if (sx !== sy) return sx < sy;
    return Buffer.compare(guidOf(x.winner), guidOf(y.winner)) <= 0;
  };
  const push = (e: Entry) => {
    const n = plan.count++;
    plan.winner[n] = e.winner;
    plan.other[n] = e.other;
    plan.uids[n] = e.uid;
    plan.changed[n] = e.changed;
  };

  let ia = 0;
  let ib = 0;
  for (;;) {
    while (ia < a.count && !emitsA(ia)) ia++;
    while (ib < b.count && !emitsB(ib)) ib++;
    if (ia >= a.count && ib >= b.count) break;
    if (ib >= b.count) push(entryOfA(ia++));
    else if (ia >= a.count) push(entryOfB(ib++));
    else {
      const x = entryOfA(ia);
      const y = entryOfB(ib);
      if (x.uid < y.uid) (push(x), ia++);
      else if (y.uid < x.uid) (push(y), ib++);
      else {
        if (keeps(x, y)) (push(x), reloc.push([y.winner, y.other]));
        else (push(y), reloc.push([x.winner, x.other]));
        ia++;
        ib++;
      }
    }
  }
  let uidNext = Math.max(a.uidNext, b.uidNext, plan.count > 0 ? plan.uids[plan.count - 1]! + 1 : 1);
  for (const [w, o] of reloc) push({ uid: uidNext++, winner: w, other: o, changed: 1 });
  plan.uidNext = uidNext;
  const n = plan.count;
  return { ...plan, winner: plan.winner.slice(0, n), other: plan.other.slice(0, n), uids: plan.uids.slice(0, n), changed: plan.changed.slice(0, n) };
}
