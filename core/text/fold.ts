/**
 * Case folding for case-insensitive matching (SEARCH, i;unicode-casemap-like comparisons).
 *
 * foldCase: NFKC, then lowercase, then the few simple-folding fix-ups lowercase misses
 * (final sigma). Pure ASCII takes a fast path (NFKC is the identity on ASCII).
 * containsFolded: substring test on folded strings; an empty needle always matches. Large
 * all-ASCII inputs go to the WASM kernel (same result: on ASCII, foldCase is ASCII lowercase).
 */
import { indexOfAsciiFoldedString } from './kernels.ts';

/**
 * Haystack length (chars) from which the WASM kernel beats toLowerCase + includes on ASCII
 * strings. Measured with `BENCH_TIME_MS=200 node --import tsx bench/kernels/index-of-folded.bench.ts`
 * (2026-11-28, 2 cores, Node 20): 1 KB 0.83x, 2 KB 1.47x, 4 KB 2.07x, 1 MB 2.83x; below 1 KB
 * the copy into WASM memory dominates (64 B: 0.14x).
 */
export const ASCII_KERNEL_MIN_CHARS = 2048;

// Matches any character outside 7-bit ASCII.
const NON_ASCII = /[^\x00-\x7f]/;

/** True when every UTF-16 unit of s is 7-bit ASCII. */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** Unicode case fold (NFKC + lowercase + final sigma unified with sigma). */
export function foldCase(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  // toLowerCase applies the Final_Sigma rule (Σ -> ς at word end); folding wants σ everywhere.
  return s.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');
}

/** Case-insensitive substring test: foldCase(haystack) contains foldCase(needle). */
export function containsFolded(haystack: string, needle: string): boolean {
  if (needle.length === 0) return true;
  if (haystack.length >= ASCII_KERNEL_MIN_CHARS && isAscii(needle) && isAscii(haystack)) {
    return indexOfAsciiFoldedString(haystack, needle) >= 0;
  }
  return foldCase(haystack).includes(foldCase(needle));
}
