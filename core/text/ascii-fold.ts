/**
 * Plain TypeScript references for the ASCII byte kernels (wasm/kernels.ts): the tests check
 * that the WASM kernels give exactly these results, and the benchmarks measure the gain.
 *
 * Only ASCII letters fold here (A-Z -> a-z); every other byte, including UTF-8 sequences,
 * compares exactly. That is why SEARCH only uses the byte path for ASCII needles: a non-ASCII
 * needle needs Unicode folding (core/text/fold.ts) on decoded text.
 */

/** Lowercases ASCII letters of `bytes` in place and returns it. */
export function foldAsciiBytesRef(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x41 && c <= 0x5a) bytes[i] = c | 0x20;
  }
  return bytes;
}

function foldByte(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/**
 * First index where `needle` occurs in `hay`, ASCII letters compared case-insensitively; -1
 * when absent; 0 for an empty needle. The needle need not be folded.
 */
export function indexOfAsciiFoldedRef(hay: Uint8Array, needle: Uint8Array): number {
  const n = needle.length;
  if (n === 0) return 0;
  const last = hay.length - n;
  const folded = foldAsciiBytesRef(Uint8Array.from(needle));
  const first = folded[0]!;
  outer: for (let i = 0; i <= last; i++) {
    if (foldByte(hay[i]!) !== first) continue;
    for (let j = 1; j < n; j++) {
      if (foldByte(hay[i + j]!) !== folded[j]) continue outer;
    }
    return i;
  }
  return -1;
}
