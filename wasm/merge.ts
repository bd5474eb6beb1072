// Merge of two index heads of one mailbox: the plan of which rows survive, which copy's flags
// win and which UID each gets. Same rules and output as core/index/merge-reference.ts (read
// that file's header for the rules); the facade is core/index/merge-kernel.ts.
//
// Nothing allocates (runtime stub): the facade lays out the inputs, the scratch and the outputs
// in linear memory and passes a descriptor of u32 offsets/counts (see the D_* indices).

const D_NA = 0;
const D_NB = 1;
const D_NEA = 2;
const D_NEB = 3;
const D_UIDS_A = 4;
const D_GUIDS_A = 5;
const D_MOD_A = 6;
const D_FLAGS_A = 7;
const D_SAVE_A = 8;
const D_UIDS_B = 9;
const D_GUIDS_B = 10;
const D_MOD_B = 11;
const D_FLAGS_B = 12;
const D_SAVE_B = 13;
const D_EXP_A = 14;
const D_EXP_B = 15;
const D_UIDNEXT_A = 16;
const D_UIDNEXT_B = 17;
const D_SCRATCH = 18;
const D_OUT_WINNER = 19;
const D_OUT_OTHER = 20;
const D_OUT_UID = 21;
const D_OUT_CHANGED = 22;
const D_CAP_B = 23;
const D_CAP_EA = 24;
const D_CAP_EB = 25;

const SIDE_B: u32 = 0x80000000;
const NO_ROW: u32 = 0xffffffff;

let lastUidNext: u32 = 0;

// @ts-ignore: decorator
@inline function d(desc: usize, i: i32): u32 {
  return load<u32>(desc + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function guidHash(p: usize): u32 {
  // GUIDs are random bytes; mixing two words is plenty and cheap.
  return (load<u32>(p) ^ load<u32>(p + 8)) * 0x9e3779b1;
}

// @ts-ignore: decorator
@inline function guidEq(p: usize, q: usize): bool {
  return load<u64>(p) == load<u64>(q) && load<u64>(p + 8) == load<u64>(q + 8);
}

/** Insert row `row` (guid at guids + row*16) into an open-addressing table of `cap` u32 slots (row+1; 0 = empty). */
function tableInsert(table: usize, cap: u32, guids: usize, row: u32): void {
  let s = guidHash(guids + (<usize>row << 4)) & (cap - 1);
  while (load<u32>(table + (<usize>s << 2)) != 0) s = (s + 1) & (cap - 1);
  store<u32>(table + (<usize>s << 2), row + 1);
}

function tableHas(table: usize, cap: u32, guids: usize, g: usize): bool {
  if (cap == 0) return false;
  let s = guidHash(g) & (cap - 1);
  for (;;) {
    const v = load<u32>(table + (<usize>s << 2));
    if (v == 0) return false;
    if (guidEq(guids + (<usize>(v - 1) << 4), g)) return true;
    s = (s + 1) & (cap - 1);
  }
  return false;
}

/** Side B's first unpaired row with this GUID (probe order = insertion order = UID order), or -1. */
function takeB(table: usize, cap: u32, guids: usize, g: usize, pairB: usize): i32 {
  if (cap == 0) return -1;
  let s = guidHash(g) & (cap - 1);
  for (;;) {
    const v = load<u32>(table + (<usize>s << 2));
    if (v == 0) return -1;
    const j = v - 1;
    if (load<i32>(pairB + (<usize>j << 2)) < 0 && guidEq(guids + (<usize>j << 4), g)) return <i32>j;
    s = (s + 1) & (cap - 1);
  }
  return -1;
}

/** Compare two 16-byte GUIDs as unsigned bytes: <0, 0, >0. */
function guidCmp(p: usize, q: usize): i32 {
  for (let k: usize = 0; k < 16; k++) {
    const x = <i32>load<u8>(p + k);
    const y = <i32>load<u8>(q + k);
    if (x != y) return x - y;
  }
  return 0;
}

/** Plans the merge; returns the merged row count (uidNext via mergeUidNext()). */
export function mergePlan(desc: usize): u32 {
  const nA = d(desc, D_NA);
  const nB = d(desc, D_NB);
  const uidsA = <usize>d(desc, D_UIDS_A);
  const guidsA = <usize>d(desc, D_GUIDS_A);
  const modA = <usize>d(desc, D_MOD_A);
  const flagsA = <usize>d(desc, D_FLAGS_A);
  const saveA = <usize>d(desc, D_SAVE_A);
  const uidsB = <usize>d(desc, D_UIDS_B);
  const guidsB = <usize>d(desc, D_GUIDS_B);
  const modB = <usize>d(desc, D_MOD_B);
  const flagsB = <usize>d(desc, D_FLAGS_B);
  const saveB = <usize>d(desc, D_SAVE_B);
  const expA = <usize>d(desc, D_EXP_A);
  const expB = <usize>d(desc, D_EXP_B);
  const capB = d(desc, D_CAP_B);
  const capEA = d(desc, D_CAP_EA);
  const capEB = d(desc, D_CAP_EB);
  const outWinner = <usize>d(desc, D_OUT_WINNER);
  const outOther = <usize>d(desc, D_OUT_OTHER);
  const outUid = <usize>d(desc, D_OUT_UID);
  const outChanged = <usize>d(desc, D_OUT_CHANGED);

  // Scratch: three tables, pairA, pairB (i32), drop flags (u8), relocation list (2 u32 each).
  const tB = <usize>d(desc, D_SCRATCH);
  const tEA = tB + (<usize>capB << 2);
  const tEB = tEA + (<usize>capEA << 2);
  const pairA = tEB + (<usize>capEB << 2);
  const pairB = pairA + (<usize>nA << 2);
  const reloc = pairB + (<usize>nB << 2);
  const dropA = reloc + (<usize>(nA + nB) << 3);
  const dropB = dropA + <usize>nA;
  memory.fill(tB, 0, (<usize>(capB + capEA + capEB)) << 2);
  memory.fill(pairA, 0xff, (<usize>(nA + nB)) << 2);

  const nEA = d(desc, D_NEA);
  const nEB = d(desc, D_NEB);
  for (let e: u32 = 0; e < nEA; e++) tableInsert(tEA, capEA, expA, e);
  for (let e: u32 = 0; e < nEB; e++) tableInsert(tEB, capEB, expB, e);
  for (let i: u32 = 0; i < nA; i++) store<u8>(dropA + i, tableHas(tEB, capEB, expB, guidsA + (<usize>i << 4)) ? 1 : 0);
  for (let j: u32 = 0; j < nB; j++) {
    const drop = tableHas(tEA, capEA, expA, guidsB + (<usize>j << 4));
    store<u8>(dropB + j, drop ? 1 : 0);
    if (!drop) tableInsert(tB, capB, guidsB, j);
  }
  for (let i: u32 = 0; i < nA; i++) {
    if (load<u8>(dropA + i)) continue;
    const j = takeB(tB, capB, guidsB, guidsA + (<usize>i << 4), pairB);
    if (j >= 0) {
      store<i32>(pairA + (<usize>i << 2), j);
      store<i32>(pairB + (<usize>j << 2), <i32>i);
    }
  }

  let count: u32 = 0;
  let nReloc: u32 = 0;
  let ia: u32 = 0;
  let ib: u32 = 0;
  for (;;) {
    // Skip rows a side does not emit: dropped, or paired with a lower UID on the other side.
    while (ia < nA) {
      if (!load<u8>(dropA + ia)) {
        const j = load<i32>(pairA + (<usize>ia << 2));
        if (j < 0 || load<u32>(uidsA + (<usize>ia << 2)) <= load<u32>(uidsB + (<usize>j << 2))) break;
      }
      ia++;
    }
    while (ib < nB) {
      if (!load<u8>(dropB + ib)) {
        const i = load<i32>(pairB + (<usize>ib << 2));
        if (i < 0 || load<u32>(uidsB + (<usize>ib << 2)) < load<u32>(uidsA + (<usize>i << 2))) break;
      }
      ib++;
    }
    const hasA = ia < nA;
    const hasB = ib < nB;
    if (!hasA && !hasB) break;
    // Entry of A's cursor (x*) and of B's cursor (y*).
    let xUid: u32 = 0, xWin: u32 = 0, xOther: u32 = NO_ROW, xChanged: u8 = 1;
    let yUid: u32 = 0, yWin: u32 = 0, yOther: u32 = NO_ROW, yChanged: u8 = 1;
    if (hasA) {
      const i = ia;
      const j = load<i32>(pairA + (<usize>i << 2));
      const ua = load<u32>(uidsA + (<usize>i << 2));
      xUid = ua;
      xWin = i;
      if (j >= 0) {
        const ub = load<u32>(uidsB + (<usize>j << 2));
        const bWins = load<f64>(modB + (<usize>j << 3)) > load<f64>(modA + (<usize>i << 3));
        xWin = bWins ? (<u32>j | SIDE_B) : i;
        xOther = bWins ? i : (<u32>j | SIDE_B);
        xChanged = ua != ub || load<u8>(flagsA + i) != load<u8>(flagsB + <usize>j) ? 1 : 0;
      }
    }
    if (hasB) {
      const j = ib;
      const i = load<i32>(pairB + (<usize>j << 2));
      const ub = load<u32>(uidsB + (<usize>j << 2));
      yUid = ub;
      yWin = j | SIDE_B;
      if (i >= 0) {
        // Emitted from B: B's UID is the lower one.
        const ua = load<u32>(uidsA + (<usize>i << 2));
        const bWins = load<f64>(modB + (<usize>j << 3)) > load<f64>(modA + (<usize>i << 3));
        yWin = bWins ? (j | SIDE_B) : <u32>i;
        yOther = bWins ? <u32>i : (j | SIDE_B);
        yChanged = ua != ub || load<u8>(flagsA + <usize>i) != load<u8>(flagsB + j) ? 1 : 0;
      }
    }
    let takeX = false;
    let takeY = false;
    let relocX = false;
    if (!hasB) takeX = true;
    else if (!hasA) takeY = true;
    else if (xUid < yUid) takeX = true;
    else if (yUid < xUid) takeY = true;
    else {
      // One UID, two messages: the earlier saved (then lower GUID) keeps it.
      const sx = xWin & SIDE_B ? load<f64>(saveB + (<usize>(xWin & ~SIDE_B) << 3)) : load<f64>(saveA + (<usize>xWin << 3));
      const sy = yWin & SIDE_B ? load<f64>(saveB + (<usize>(yWin & ~SIDE_B) << 3)) : load<f64>(saveA + (<usize>yWin << 3));
      const gx = xWin & SIDE_B ? guidsB + (<usize>(xWin & ~SIDE_B) << 4) : guidsA + (<usize>xWin << 4);
      const gy = yWin & SIDE_B ? guidsB + (<usize>(yWin & ~SIDE_B) << 4) : guidsA + (<usize>yWin << 4);
      const xKeeps = sx != sy ? sx < sy : guidCmp(gx, gy) <= 0;
      if (xKeeps) {
        takeX = true;
        store<u32>(reloc + (<usize>nReloc << 3), yWin);
        store<u32>(reloc + (<usize>nReloc << 3) + 4, yOther);
      } else {
        takeY = true;
        relocX = true;
        store<u32>(reloc + (<usize>nReloc << 3), xWin);
        store<u32>(reloc + (<usize>nReloc << 3) + 4, xOther);
      }
      nReloc++;
      ia++;
      ib++;
      if (relocX) takeX = false;
      const o = <usize>count;
      store<u32>(outWinner + (o << 2), takeX ? xWin : yWin);
      store<u32>(outOther + (o << 2), takeX ? xOther : yOther);
      store<u32>(outUid + (o << 2), takeX ? xUid : yUid);
      store<u8>(outChanged + o, takeX ? xChanged : yChanged);
      count++;
      continue;
    }
    const o = <usize>count;
    if (takeX) {
      store<u32>(outWinner + (o << 2), xWin);
      store<u32>(outOther + (o << 2), xOther);
      store<u32>(outUid + (o << 2), xUid);
      store<u8>(outChanged + o, xChanged);
      ia++;
    } else {
      store<u32>(outWinner + (o << 2), yWin);
      store<u32>(outOther + (o << 2), yOther);
      store<u32>(outUid + (o << 2), yUid);
      store<u8>(outChanged + o, yChanged);
      ib++;
    }
    count++;
  }

  let uidNext = d(desc, D_UIDNEXT_A);
  const unB = d(desc, D_UIDNEXT_B);
  if (unB > uidNext) uidNext = unB;
  if (count > 0) {
    const last = load<u32>(outUid + (<usize>(count - 1) << 2)) + 1;
    if (last > uidNext) uidNext = last;
  }
  if (uidNext == 0) uidNext = 1;
  for (let r: u32 = 0; r < nReloc; r++) {
    const o = <usize>count;
    store<u32>(outWinner + (o << 2), load<u32>(reloc + (<usize>r << 3)));
    store<u32>(outOther + (o << 2), load<u32>(reloc + (<usize>r << 3) + 4));
    store<u32>(outUid + (o << 2), uidNext++);
    store<u8>(outChanged + o, 1);
    count++;
  }
  lastUidNext = uidNext;
  return count;
}

/** uidNext of the last plan. */
export function mergeUidNext(): u32 {
  return lastUidNext;
}
