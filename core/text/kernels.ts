/**
 * Facade over the WASM byte kernels: same signatures and results as the TypeScript references
 * in core/text/ascii-fold.ts and core/text/header-scan.ts, only faster on large inputs.
 * Importing this file loads the kernels (see wasm-instance.ts) and fails loudly if they were
 * not built. Calls are synchronous and copy inputs into this thread's scratch region, at most
 * KERNEL_CHUNK_BYTES at a time.
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

/**
 * Inputs go through scratch at most this many bytes at a time, so a thread's WASM memory stays
 * near 1 MiB whatever the message size (memory never shrinks once grown).
 */
export const KERNEL_CHUNK_BYTES = 1 << 20;

/** Lowercases ASCII letters of `bytes` in place (SIMD) and returns it. */
export function foldAsciiBytes(bytes: Uint8Array): Uint8Array {
  const len = bytes.length;
  for (let at = 0; at < len; at += KERNEL_CHUNK_BYTES) {
    const n = Math.min(KERNEL_CHUNK_BYTES, len - at);
    kernels.reserve(n);
    const mem = kernels.u8; // after reserve: growing detaches older views
    mem.set(bytes.subarray(at, at + n), base);
    k.foldAscii(base, n);
    bytes.set(mem.subarray(base, base + n), at);
  }
  return bytes;
}

/**
 * The windowed search both entry points share: the needle at `base`, folded once per window;
 * the haystack in windows of KERNEL_CHUNK_BYTES that overlap by n - 1 bytes, so a match across
 * a window edge is still seen. `fill` copies the needle and haystack[at, end) into memory.
 */
function searchWindows(
  hayLength: number,
  n: number,
  fill: (mem: Uint8Array, hayAt: number, at: number, end: number) => void,
): number {
  if (n === 0) return 0;
  if (n > hayLength) return -1;
  const hayAt = base + align16(n);
  for (let at = 0; at + n <= hayLength; at += KERNEL_CHUNK_BYTES) {
    const end = Math.min(hayLength, at + KERNEL_CHUNK_BYTES + n - 1);
    kernels.reserve(align16(n) + (end - at));
    fill(kernels.u8, hayAt, at, end);
    k.foldAscii(base, n);
    const found = k.indexOfFolded(hayAt, end - at, base, n);
    if (found >= 0) return at + found;
  }
  return -1;
}

/** First index of `needle` in `hay`, ASCII letters case-insensitive; -1 if absent; 0 if empty. */
export function indexOfAsciiFolded(hay: Uint8Array, needle: Uint8Array): number {
  return searchWindows(hay.length, needle.length, (mem, hayAt, at, end) => {
    mem.set(needle, base);
    mem.set(hay.subarray(at, end), hayAt);
  });
}

const encoder = new TextEncoder();

/**
 * indexOfAsciiFolded for strings that the caller knows are ASCII (one byte per UTF-16 unit):
 * encodes straight into scratch, no intermediate buffers.
 */
export function indexOfAsciiFoldedString(hay: string, needle: string): number {
  const n = needle.length;
  return searchWindows(hay.length, n, (mem, hayAt, at, end) => {
    encoder.encodeInto(needle, mem.subarray(base, base + n));
    encoder.encodeInto(at === 0 && end === hay.length ? hay : hay.slice(at, end), mem.subarray(hayAt, hayAt + (end - at)));
  });
}

// Field offsets are collected in chunks of this many u32s; the kernel resumes when one fills.
const FIELD_CHUNK = 1024;
// Headers are small: scan a window first, double it only when no empty line is in it.
const HEADER_WINDOW = 64 * 1024;

/**
 * Finds the end of the header block and the start of every header field (see header-scan.ts).
 * Only the header is copied into WASM memory: the scan starts on the first 64 KiB and doubles
 * the window while no empty line was found. A result with found = true never depends on bytes
 * past the window (every lookahead it used was inside), so it is final.
 */
export function scanHeader(bytes: Uint8Array): HeaderScan {
  const len = bytes.length;
  let copied = 0;
  let window = Math.min(len, HEADER_WINDOW);
  for (;;) {
    kernels.reserve(align16(window) + FIELD_CHUNK * 4);
    kernels.u8.set(bytes.subarray(copied, window), base + copied);
    copied = window;
    const result = scanWindow(window);
    if (result.found || window === len) return result;
    window = Math.min(len, window * 2);
  }
}

function scanWindow(len: number): HeaderScan {
  const outAt = base + align16(len);
  const parts: Uint32Array[] = [];
  let total = 0;
  let from = 0;
  for (;;) {
    const count = k.headerScan(base, len, from, outAt, FIELD_CHUNK);
    parts.push(new Uint32Array(kernels.u8.buffer, outAt, count).slice());
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
