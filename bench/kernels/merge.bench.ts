/**
 * mergePlan: the WASM merge of two index heads (incl. copies in and out) vs the TS reference, by
 * mailbox size. Two forks of one mailbox: each side changed flags on a slice, appended a few and
 * expunged a few; `bytes` counts the column bytes of both sides (37 per row).
 */
import { randomBytes } from 'node:crypto';
import { mergePlanKernel } from '../../core/index/merge-kernel.ts';
import { mergePlanReference, type MergeSide } from '../../core/index/merge-reference.ts';
import { type BenchRow, measure, runIfMain } from './harness.ts';

const ROWS = [1_000, 10_000, 100_000];

function fork(guids: Uint8Array, rows: number, every: number, extra: number): MergeSide {
  const n = rows + extra;
  const all = new Uint8Array(n * 16);
  all.set(guids.subarray(0, rows * 16));
  all.set(randomBytes(extra * 16), rows * 16);
  return {
    count: n,
    uids: new Uint32Array(n).map((_, i) => i + 1),
    guids: all,
    modseqs: new Float64Array(n).map((_, i) => i + 1 + (i % every === 0 ? n : 0)),
    flags: new Uint8Array(n).map((_, i) => (i % every === 0 ? 1 : 0)),
    saveDates: new Float64Array(n).map((_, i) => i),
    uidNext: n + 1,
    expunged: randomBytes(16 * Math.ceil(rows / 100)),
  };
}

export default async function run(): Promise<BenchRow[]> {
  const cases = ROWS.flatMap((rows) => {
    const base = randomBytes(rows * 16);
    const a = fork(base, rows, 7, 20);
    const b = fork(base, rows, 11, 20);
    const bytes = (a.count + b.count) * 37;
    return [
      { task: 'mergePlan', variant: 'ts', bytes, fn: () => mergePlanReference(a, b) },
      { task: 'mergePlan', variant: 'wasm', bytes, fn: () => mergePlanKernel(a, b) },
    ];
  });
  return measure('merge', cases);
}

await runIfMain(import.meta.url, run);
