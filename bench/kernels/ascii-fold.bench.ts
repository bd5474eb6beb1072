/** foldAscii: WASM SIMD kernel (incl. copies in and out of WASM memory) vs the TS reference. */
import { foldAsciiBytes } from '../../core/text/kernels.ts';
import { foldAsciiBytesRef } from '../../core/text/ascii-fold.ts';
import { type BenchRow, SIZES, mailText, measure, runIfMain } from './harness.ts';

export default async function run(): Promise<BenchRow[]> {
  const cases = SIZES.flatMap((bytes) => {
    const input = mailText(bytes);
    const work = new Uint8Array(bytes);
    return [
      { task: 'foldAscii', variant: 'ts', bytes, fn: () => foldAsciiBytesRef(work.set(input) ?? work) },
      { task: 'foldAscii', variant: 'wasm', bytes, fn: () => foldAsciiBytes(work.set(input) ?? work) },
    ];
  });
  return measure('ascii-fold', cases);
}

await runIfMain(import.meta.url, run);
