/**
 * Facade over the WASM byte kernels: same signatures and results as the TypeScript references
 * in core/text/ascii-fold.ts and core/text/header-scan.ts, only faster on large inputs.
 * Importing this file loads the kernels (see wasm-instance.ts) and fails loudly if they were
 * not built. Calls are synchronous and copy inputs into this thread's scratch region.
 *
 * Split between byte and Unicode search: indexOfAsciiFolded folds ASCII letters only and
 * compares every other byte exactly. When needle and haystack are both ASCII this is exactly
 * foldCase matching (core/text/fold.ts), so containsFolded takes this path for large ASCII
 * inputs. With an ASCII needle over non-ASCII text the Unicode path can match more (NFKC maps
 * ligatures, fullwidth letters and the Kelvin sign to ASCII): SEARCH over raw message bytes
 * uses the byte kernel for ASCII needles as a fast path and decodes + foldCase otherwise.
 */
import { kernelInstance } from './wasm-instance.ts';
import type { HeaderScan } from './header-scan.ts';

export type { HeaderScan } from './header-scan.ts';

const align16 = (n: number): number => (n + 15) & ~15;

// Created at import so a missing build fails at start-up, not on the first search.
const kernels = kernelInstance();
const k = kernels.exports;
const base = kernels.base;

/** Lowercases ASCII letters of `bytes` in place (SIMD) and returns it. */
export function foldAsciiBytes(bytes: Uint8Array): Uint8Array {
  const len = bytes.length;
  if (len === 0) return bytes;
  kernels.reserve(len);
  let mem = kernels.u8;
  mem.set(bytes, base);
  k.foldAscii(base, len);
  mem = kernels.u8;
  bytes.set(mem.subarray(base, base + len));
  return bytes;
}

/** First index of `needle` in `hay`, ASCII letters case-insensitive; -1 if absent; 0 if empty. */
export function indexOfAsciiFolded(hay: Uint8Array, needle: Uint8Array): number {
  const n = needle.length;
  if (n === 0) return 0;
  if (n > hay.length) return -1;
  const hayAt = base + align16(n);
  kernels.reserve(align16(n) + hay.length);
  const mem = kernels.u8; // after reserve: growing detaches older views
  mem.set(needle, base);
  mem.set(hay, hayAt);
  k.foldAscii(base, n);
  return k.indexOfFolded(hayAt, hay.length, base, n);
}

const encoder = new TextEncoder();

/**
 * indexOfAsciiFolded for strings that the caller knows are ASCII (one byte per UTF-16 unit):
 * encodes straight into scratch, no intermediate buffers.
 */
export function indexOfAsciiFoldedString(hay: string, needle: string): number {
  const n = needle.length;
  if (n === 0) return 0;
  if (n > hay.length) return -1;
  const hayAt = base + align16(n);
  kernels.reserve(align16(n) + hay.length);
  const mem = kernels.u8;
  encoder.encodeInto(needle, mem.subarray(base, base + n));
  encoder.encodeInto(hay, mem.subarray(hayAt, hayAt + hay.length));
  k.foldAscii(base, n);
  return k.indexOfFolded(hayAt, hay.length, base, n);
}

// Field offsets are collected in chunks of this many u32s; the kernel resumes when one fills.
const FIELD_CHUNK = 1024;

/** Finds the end of the header block and the start of every header field (see header-scan.ts). */
export function scanHeader(bytes: Uint8Array): HeaderScan {
  const len = bytes.length;
  const outAt = base + align16(len);
  kernels.reserve(align16(len) + FIELD_CHUNK * 4);
  kernels.u8.set(bytes, base);
  const parts: Uint32Array[] = [];
  let total = 0;
  let from = 0;
  for (;;) {
    const count = k.headerScan(base, len, from, outAt, FIELD_CHUNK);
    const mem = kernels.u8;
    parts.push(new Uint32Array(mem.buffer, outAt, count).slice());
    total += count;
    const next = k.resumeAt();
    if (next < 0) break;
    from = next;
  }
  const fieldStarts = parts.length === 1 ? parts[0]! : concat(parts, total);
  const headerEnd = k.headerEnd();
  const bodyStart = k.bodyStart();
  return { headerEnd, bodyStart, found: bodyStart > headerEnd, fieldStarts };
}

function concat(parts: Uint32Array[], total: number): Uint32Array {
  const out = new Uint32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes of WASM memory this thread holds (grows with the largest input seen). */
export function kernelMemoryBytes(): number {
  return kernels.memoryBytes;
}
