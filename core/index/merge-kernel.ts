/**
 * Facade of the WASM merge kernel (wasm/merge.ts): lays the two sides' columns out in the
 * thread's scratch region, runs `mergePlan`, copies the plan out. Same result as
 * mergePlanReference (the differential test holds both to it).
 *
 * Layout (all offsets 8-byte aligned): descriptor (26 u32) | A columns | B columns | expunged
 * GUIDs | outputs | kernel scratch (hash tables, pairings, relocations).
 */
import { kernelInstance } from '../text/wasm-instance.ts';
import { GUID_LEN, type MergePlan, type MergeSide } from './merge-reference.ts';

interface MergeExports {
  mergePlan(desc: number): number;
  mergeUidNext(): number;
}

const DESC_FIELDS = 26;

/** Smallest power of two >= 2n (at least 16): open addressing stays short. */
function tableCap(n: number): number {
  let c = 16;
  while (c < 2 * n) c *= 2;
  return c;
}

export function mergePlanKernel(a: MergeSide, b: MergeSide): MergePlan {
  const k = kernelInstance();
  const ex = k.exports as unknown as MergeExports;
  const nA = a.count;
  const nB = b.count;
  const nEA = Math.floor(a.expunged.length / GUID_LEN);
  const nEB = Math.floor(b.expunged.length / GUID_LEN);
  const capB = tableCap(nB);
  const capEA = nEA > 0 ? tableCap(nEA) : 0;
  const capEB = nEB > 0 ? tableCap(nEB) : 0;

  // Relative offsets first, then reserve, then views (memory.grow detaches old views).
  let at = 0;
  const place = (bytes: number) => {
    const o = at;
    at += (bytes + 7) & ~7;
    return o;
  };
  const desc = place(DESC_FIELDS * 4);
  const side = (n: number) => ({ uids: place(n * 4), guids: place(n * GUID_LEN), mods: place(n * 8), flags: place(n), saves: place(n * 8) });
  const pa = side(nA);
  const pb = side(nB);
  const expA = place(nEA * GUID_LEN);
  const expB = place(nEB * GUID_LEN);
  const total = nA + nB;
  const outWinner = place(total * 4);
  const outOther = place(total * 4);
  const outUid = place(total * 4);
  const outChanged = place(total);
  const scratch = place(4 * (capB + capEA + capEB) + 4 * total + 8 * total + total);
  k.reserve(at);
  const base = k.base;
  const mem = k.u8;
  const buf = mem.buffer;

  const put = (off: number, src: ArrayBufferView, bytes: number) =>
    mem.set(new Uint8Array(src.buffer, src.byteOffset, bytes), base + off);
  const fill = (s: MergeSide, p: typeof pa) => {
    const n = s.count;
    put(p.uids, s.uids, n * 4);
    put(p.guids, s.guids, n * GUID_LEN);
    put(p.mods, s.modseqs, n * 8);
    put(p.flags, s.flags, n);
    put(p.saves, s.saveDates, n * 8);
  };
  fill(a, pa);
  fill(b, pb);
  put(expA, a.expunged, nEA * GUID_LEN);
  put(expB, b.expunged, nEB * GUID_LEN);
  const d = new Uint32Array(buf, base + desc, DESC_FIELDS);
  d.set([
    nA, nB, nEA, nEB,
    base + pa.uids, base + pa.guids, base + pa.mods, base + pa.flags, base + pa.saves,
    base + pb.uids, base + pb.guids, base + pb.mods, base + pb.flags, base + pb.saves,
    base + expA, base + expB, a.uidNext >>> 0, b.uidNext >>> 0,
    base + scratch, base + outWinner, base + outOther, base + outUid, base + outChanged,
    capB, capEA, capEB,
  ]);
  const count = ex.mergePlan(base + desc);
  const after = k.u8.buffer; // the kernel does not grow memory, but never trust a stale view
  return {
    count,
    winner: new Uint32Array(after.slice(base + outWinner, base + outWinner + count * 4)),
    other: new Uint32Array(after.slice(base + outOther, base + outOther + count * 4)),
    uids: new Uint32Array(after.slice(base + outUid, base + outUid + count * 4)),
    changed: new Uint8Array(after.slice(base + outChanged, base + outChanged + count)),
    uidNext: ex.mergeUidNext(),
  };
}
