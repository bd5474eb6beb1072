/**
 * Case-insensitive substring search. Bytes: WASM kernel vs the TS reference, needle absent
 * (a full scan, the usual SEARCH BODY case). Strings: what containsFolded does for ASCII
 * strings, toLowerCase + includes ("ts") vs encode into WASM + kernel ("wasm"); where the
 * kernel starts to win is ASCII_KERNEL_MIN_CHARS in core/text/fold.ts.
 */
import { indexOfAsciiFolded, indexOfAsciiFoldedString } from '../../core/text/kernels.ts';
import { indexOfAsciiFoldedRef } from '../../core/text/ascii-fold.ts';
import { type BenchRow, SIZES, mailText, measure, runIfMain } from './harness.ts';

const STRING_SIZES = [64, 256, 1024, 2048, 4096, 8192, 16384, 65536, 1 << 20];

export default async function run(): Promise<BenchRow[]> {
  const needle = new TextEncoder().encode('LAZY CATS');
  const bytes = SIZES.flatMap((size) => {
    const hay = mailText(size);
    return [
      { task: 'indexOfFolded', variant: 'ts', bytes: size, fn: () => indexOfAsciiFoldedRef(hay, needle) },
      { task: 'indexOfFolded', variant: 'wasm', bytes: size, fn: () => indexOfAsciiFolded(hay, needle) },
    ];
  });
  const strings = STRING_SIZES.flatMap((size) => {
    const hay = new TextDecoder().decode(mailText(size));
    return [
      {
        task: 'containsFolded(str)',
        variant: 'ts',
        bytes: size,
        fn: () => hay.toLowerCase().includes('lazy cats'),
      },
      {
        task: 'containsFolded(str)',
        variant: 'wasm',
        bytes: size,
        fn: () => indexOfAsciiFoldedString(hay, 'LAZY CATS') >= 0,
      },
    ];
  });
  return measure('index-of-folded', [...bytes, ...strings]);
}

await runIfMain(import.meta.url, run);
