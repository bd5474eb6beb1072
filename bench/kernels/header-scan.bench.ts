/** headerScan: WASM kernel (incl. copy in, offsets out) vs the TS reference, by header size. */
import { scanHeader } from '../../core/text/kernels.ts';
import { scanHeaderRef } from '../../core/text/header-scan.ts';
import { type BenchRow, measure, runIfMain } from './harness.ts';

/** A header block of about `bytes` bytes (with folded lines) followed by a short body. */
function message(bytes: number): Uint8Array {
  let head = '';
  for (let i = 0; head.length < bytes; i++) {
    head += i % 5 === 4
      ? `Received: from host${i}.example.net (host${i}.example.net [192.0.2.${i % 250}])\r\n\tby mx.example.com with ESMTPS id ${i}\r\n`
      : `X-Header-${i}: some value for field number ${i}, mostly ASCII\r\n`;
  }
  return new TextEncoder().encode(head.slice(0, bytes).replace(/\r?\n?$/, '\r\n') + '\r\nBody text.\r\n');
}

const SIZES = [512, 2048, 8192, 32768, 131072, 1 << 20];

export default async function run(): Promise<BenchRow[]> {
  const cases = SIZES.flatMap((bytes) => {
    const msg = message(bytes);
    return [
      { task: 'headerScan', variant: 'ts', bytes, fn: () => scanHeaderRef(msg) },
      { task: 'headerScan', variant: 'wasm', bytes, fn: () => scanHeader(msg) },
    ];
  });
  return measure('header-scan', cases);
}

await runIfMain(import.meta.url, run);
