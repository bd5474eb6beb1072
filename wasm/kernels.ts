// Columba byte kernels (AssemblyScript, SIMD). Built by `npm run build` into build/kernels.wasm.
//
// Memory model: runtime "stub", nothing here allocates. The JS facade (core/text/kernels.ts)
// owns a scratch region starting at heapBase(), copies inputs in, calls a kernel with raw
// pointers and reads results back. Each kernel has a TypeScript reference implementation
// (core/text/ascii-fold.ts, core/text/header-scan.ts) that tests compare against.

const LF: u32 = 0x0a;
const CR: u32 = 0x0d;
const SP: u32 = 0x20;
const HT: u32 = 0x09;

/** First byte the facade may use as scratch (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// Lowercase A-Z in a vector: bytes b with (b - 'A') < 26 (unsigned) get bit 0x20 set.
// @ts-ignore: decorator
@inline function foldVec(v: v128): v128 {
  const upper = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(26));
  return v128.or(v, v128.and(upper, i8x16.splat(0x20)));
}

// @ts-ignore: decorator
@inline function foldByte(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/** Lowercases ASCII letters of [ptr, ptr+len) in place; other bytes are untouched. */
export function foldAscii(ptr: usize, len: usize): void {
  let i: usize = 0;
  // Four vectors per round: keeps the SIMD unit busy on long inputs.
  while (i + 64 <= len) {
    const p = ptr + i;
    v128.store(p, foldVec(v128.load(p)));
    v128.store(p + 16, foldVec(v128.load(p + 16)));
    v128.store(p + 32, foldVec(v128.load(p + 32)));
    v128.store(p + 48, foldVec(v128.load(p + 48)));
    i += 64;
  }
  while (i + 16 <= len) {
    v128.store(ptr + i, foldVec(v128.load(ptr + i)));
    i += 16;
  }
  while (i < len) {
    store<u8>(ptr + i, <u8>foldByte(<u32>load<u8>(ptr + i)));
    i++;
  }
}

// Compares folded hay[0..len) with needle[0..len) (needle already folded).
function equalsFolded(hay: usize, needle: usize, len: usize): bool {
  let i: usize = 0;
  while (i + 16 <= len) {
    const same = i8x16.eq(foldVec(v128.load(hay + i)), v128.load(needle + i));
    if (!i8x16.all_true(same)) return false;
    i += 16;
  }
  while (i < len) {
    if (foldByte(<u32>load<u8>(hay + i)) != <u32>load<u8>(needle + i)) return false;
    i++;
  }
  return true;
}

/**
 * First index of needle in hay comparing ASCII letters case-insensitively, or -1.
 * The needle must already be folded (foldAscii). Candidate starts are filtered 16 at a time
 * by matching the needle's first and last byte (Mula's generic SIMD substring search), then
 * checked in full.
 */
export function indexOfFolded(hay: usize, hayLen: usize, needle: usize, needleLen: usize): isize {
  if (needleLen == 0) return 0;
  if (needleLen > hayLen) return -1;
  const first = <u32>load<u8>(needle);
  const last = <u32>load<u8>(needle + needleLen - 1);
  const vFirst = i8x16.splat(<i8>first);
  const vLast = i8x16.splat(<i8>last);
  const lastStart = hayLen - needleLen; // the largest valid start index
  const tail = needleLen - 1;
  let i: usize = 0;
  while (i + 15 <= lastStart) {
    const a = i8x16.eq(foldVec(v128.load(hay + i)), vFirst);
    const b = i8x16.eq(foldVec(v128.load(hay + i + tail)), vLast);
    let mask = <u32>i8x16.bitmask(v128.and(a, b));
    while (mask != 0) {
      const at = i + <usize>ctz<u32>(mask);
      if (needleLen <= 2 || equalsFolded(hay + at + 1, needle + 1, needleLen - 2)) return <isize>at;
      mask &= mask - 1;
    }
    i += 16;
  }
  while (i <= lastStart) {
    if (foldByte(<u32>load<u8>(hay + i)) == first && foldByte(<u32>load<u8>(hay + i + tail)) == last) {
      if (needleLen <= 2 || equalsFolded(hay + i + 1, needle + 1, needleLen - 2)) return <isize>i;
    }
    i++;
  }
  return -1;
}

// First LF at or after `from`, or len when there is none.
function findLF(ptr: usize, from: usize, len: usize): usize {
  let i = from;
  const vLF = i8x16.splat(<i8>LF);
  while (i + 16 <= len) {
    const mask = <u32>i8x16.bitmask(i8x16.eq(v128.load(ptr + i), vLF));
    if (mask != 0) return i + <usize>ctz<u32>(mask);
    i += 16;
  }
  while (i < len) {
    if (<u32>load<u8>(ptr + i) == LF) return i;
    i++;
  }
  return len;
}

let scanEnd: isize = -1;
let scanBody: isize = -1;
let scanNext: isize = -1;

/** After headerScan: offset of the empty line ending the header, or len when none was found. */
export function headerEnd(): isize { return scanEnd; }
/** After headerScan: offset of the first body byte (after the empty line), or len. */
export function bodyStart(): isize { return scanBody; }
/** After headerScan: -1 when done; else the line start to resume from (output was full). */
export function resumeAt(): isize { return scanNext; }

/**
 * Scans an RFC 5322 header block from line start `from`: writes the offset of every line that
 * starts a field (first byte not SP/HT) into out[] (u32, at most cap entries) and returns how
 * many were written. The header ends at the first empty line ("\n" or "\r\n"), which covers
 * CRLFCRLF, LFLF and mixed endings. Results are read with headerEnd/bodyStart/resumeAt.
 */
export function headerScan(ptr: usize, len: usize, from: usize, out: usize, cap: u32): u32 {
  let q = from;
  let count: u32 = 0;
  scanNext = -1;
  while (q < len) {
    const c = <u32>load<u8>(ptr + q);
    if (c == LF) {
      scanEnd = <isize>q;
      scanBody = <isize>(q + 1);
      return count;
    }
    if (c == CR && q + 1 < len && <u32>load<u8>(ptr + q + 1) == LF) {
      scanEnd = <isize>q;
      scanBody = <isize>(q + 2);
      return count;
    }
    if (c != SP && c != HT) {
      if (count == cap) {
        scanNext = <isize>q;
        return count;
      }
      store<u32>(out + (<usize>count << 2), <u32>q);
      count++;
    }
    q = findLF(ptr, q, len) + 1;
  }
  scanEnd = <isize>len;
  scanBody = <isize>len;
  return count;
}
export * from './sha512';
export { mergePlan, mergeUidNext } from './merge';
