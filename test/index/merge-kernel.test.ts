/**
 * The merge kernel against its TypeScript reference on random histories: fork a mailbox, apply
 * random appends, flag changes, expunges (and the same object recovered on both sides, and
 * COPYs within a side) to two sides, merge with both implementations: identical plans, and the
 * merge's promises hold (nothing lost unless expunged on a side, no duplicate UID, flags from
 * the higher MODSEQ).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GUID_LEN, mergePlanReference, NO_ROW, SIDE_B, type MergePlan, type MergeSide } from '../../core/index/merge-reference.ts';
import { mergePlanKernel } from '../../core/index/merge-kernel.ts';
import { rng } from '../wasm/random.ts';


interface Row { uid: number; guid: string; flags: number; modseq: number; save: number }
interface Hist { rows: Row[]; uidNext: number; modseq: number; expunged: string[] }

const clone = (h: Hist): Hist => ({ rows: h.rows.map((r) => ({ ...r })), uidNext: h.uidNext, modseq: h.modseq, expunged: [...h.expunged] });

function randomGuid(rand: () => number): string {
  let s = '';
  for (let i = 0; i < GUID_LEN; i++) s += Math.floor(rand() * 256).toString(16).padStart(2, '0');
  return s;
}

function evolve(h: Hist, rand: () => number, steps: number, shared: string[], clock: { t: number }): void {
  for (let s = 0; s < steps; s++) {
    const p = rand();
    if (p < 0.4 || h.rows.length === 0) {
      // Sometimes the object both sides recovered (same GUID), sometimes a COPY within the side.
      const guid = p < 0.05 && shared.length > 0 ? shared[Math.floor(rand() * shared.length)]!
        : p < 0.08 && h.rows.length > 0 ? h.rows[Math.floor(rand() * h.rows.length)]!.guid
        : randomGuid(rand);
      h.rows.push({ uid: h.uidNext++, guid, flags: Math.floor(rand() * 32), modseq: ++h.modseq, save: clock.t += Math.floor(rand() * 3) });
    } else if (p < 0.8) {
      const r = h.rows[Math.floor(rand() * h.rows.length)]!;
      r.flags = Math.floor(rand() * 32);
      r.modseq = ++h.modseq;
    } else {
      const i = Math.floor(rand() * h.rows.length);
      h.expunged.push(h.rows[i]!.guid);
      h.rows.splice(i, 1);
      h.modseq++;
    }
  }
}

function toSide(h: Hist): MergeSide {
  const n = h.rows.length;
  const side: MergeSide = {
    count: n, uids: new Uint32Array(n), guids: new Uint8Array(n * GUID_LEN), modseqs: new Float64Array(n),
    flags: new Uint8Array(n), saveDates: new Float64Array(n), uidNext: h.uidNext,
    expunged: new Uint8Array(h.expunged.length * GUID_LEN),
  };
  h.rows.forEach((r, i) => {
    side.uids[i] = r.uid;
    side.guids.set(Buffer.from(r.guid, 'hex'), i * GUID_LEN);
    side.modseqs[i] = r.modseq;
    side.flags[i] = r.flags;
    side.saveDates[i] = r.save;
  });
  h.expunged.forEach((g, i) => side.expunged.set(Buffer.from(g, 'hex'), i * GUID_LEN));
  return side;
}

const rowOf = (a: Hist, b: Hist, ref: number): Row => (ref & SIDE_B ? b.rows[ref & ~SIDE_B]! : a.rows[ref]!);
const plain = (p: MergePlan) => ({ count: p.count, uidNext: p.uidNext, winner: [...p.winner], other: [...p.other], uids: [...p.uids], changed: [...p.changed] });

function checkProperties(a: Hist, b: Hist, p: MergePlan, label: string): void {
  const expA = new Set(a.expunged);
  const expB = new Set(b.expunged);
  const uids = [...p.uids];
  assert.is(new Set(uids).size, uids.length, `${label}: no duplicate UID`);
  for (const u of uids) assert.ok(u < p.uidNext, `${label}: uidNext above every UID`);
  const merged = new Map<string, number>();
  for (let k = 0; k < p.count; k++) {
    const w = rowOf(a, b, p.winner[k]!);
    merged.set(w.guid, (merged.get(w.guid) ?? 0) + 1);
    if (p.other[k] !== NO_ROW) {
      const o = rowOf(a, b, p.other[k]!);
      assert.is(o.guid, w.guid, `${label}: a pair is one GUID`);
      assert.ok(w.modseq >= o.modseq, `${label}: flags from the higher MODSEQ`);
    }
    assert.not.ok((p.winner[k]! & SIDE_B ? expA : expB).has(w.guid), `${label}: expunged on a side stays expunged`);
  }
  const want = new Map<string, number>();
  const count = (rows: Row[], exp: Set<string>) => {
    const m = new Map<string, number>();
    for (const r of rows) if (!exp.has(r.guid)) m.set(r.guid, (m.get(r.guid) ?? 0) + 1);
    return m;
  };
  const ca = count(a.rows, expB);
  const cb = count(b.rows, expA);
  for (const g of new Set([...ca.keys(), ...cb.keys()])) want.set(g, Math.max(ca.get(g) ?? 0, cb.get(g) ?? 0));
  assert.equal([...merged.entries()].sort(), [...want.entries()].sort(), `${label}: every GUID kept once per copy, unless expunged`);
}

test('kernel and reference agree on 400 random forked histories', () => {
  for (let seed = 1; seed <= Number(process.env.SEEDS ?? 400); seed++) {
    const rand = rng(seed);
    const clock = { t: 1000 };
    const base: Hist = { rows: [], uidNext: 1, modseq: 1, expunged: [] };
    evolve(base, rand, Math.floor(rand() * 60), [], clock);
    const a = clone(base);
    const b = clone(base);
    const shared = [randomGuid(rand), randomGuid(rand), randomGuid(rand)];
    const forkClock = clock.t;
    evolve(a, rand, Math.floor(rand() * 40), shared, clock);
    clock.t = forkClock; // both sides save at the same times: ties exercise the GUID order
    evolve(b, rand, Math.floor(rand() * 40), shared, clock);
    const sa = toSide(a);
    const sb = toSide(b);
    const ref = mergePlanReference(sa, sb);
    const ker = mergePlanKernel(sa, sb);
    assert.equal(plain(ker), plain(ref), `seed ${seed}: kernel = reference`);
    checkProperties(a, b, ref, `seed ${seed}`);
  }
});

test('a UID conflict: the later saved message moves to uidNext; UIDs of both sides stay unique', () => {
  const a: Hist = { rows: [{ uid: 1, guid: 'aa'.repeat(16), flags: 0, modseq: 2, save: 10 }], uidNext: 2, modseq: 2, expunged: [] };
  const b: Hist = { rows: [{ uid: 1, guid: 'bb'.repeat(16), flags: 1, modseq: 2, save: 5 }], uidNext: 2, modseq: 2, expunged: [] };
  for (const impl of [mergePlanReference, mergePlanKernel]) {
    const p = impl(toSide(a), toSide(b));
    assert.equal(plain(p), { count: 2, uidNext: 3, winner: [SIDE_B >>> 0, 0], other: [NO_ROW, NO_ROW], uids: [1, 2], changed: [1, 1] });
  }
});

test('a large mailbox merges (memory grows, views re-derived)', () => {
  const rand = rng(99);
  const clock = { t: 0 };
  const base: Hist = { rows: [], uidNext: 1, modseq: 1, expunged: [] };
  for (let i = 0; i < 50_000; i++) base.rows.push({ uid: base.uidNext++, guid: randomGuid(rand), flags: 0, modseq: ++base.modseq, save: clock.t++ });
  const a = clone(base);
  const b = clone(base);
  evolve(a, rand, 2000, [], clock);
  evolve(b, rand, 2000, [], clock);
  const ref = mergePlanReference(toSide(a), toSide(b));
  const ker = mergePlanKernel(toSide(a), toSide(b));
  assert.equal(plain(ker), plain(ref));
  checkProperties(a, b, ref, 'large');
});

test.run();
