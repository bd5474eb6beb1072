/** lz4-napi block compress / uncompress on mail-like text, by size (inline, event loop). */
import { compressSync, uncompressSync } from 'lz4-napi';
import { type BenchRow, SIZES, mailText, measure, runIfMain } from './harness.ts';

export default async function run(): Promise<BenchRow[]> {
  const cases = SIZES.flatMap((bytes) => {
    // Vary the text a little so the ratio is not absurdly good.
    const input = Buffer.from(mailText(bytes));
    for (let i = 0; i < input.length; i += 97) input[i] = 0x30 + ((i * 7) % 43);
    const packed = compressSync(input);
    return [
      { task: 'lz4 compress', variant: 'inline', bytes, fn: () => compressSync(input) },
      { task: 'lz4 uncompress', variant: 'inline', bytes, fn: () => uncompressSync(packed) },
    ];
  });
  return measure('lz4', cases);
}

await runIfMain(import.meta.url, run);
