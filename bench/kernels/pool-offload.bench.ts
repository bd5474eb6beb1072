/**
 * What offloading costs: lz4 compress inline vs through the worker pool (round trip, input and
 * output moved), by size. The size where "pool" latency comes within reach of "inline" is where
 * offloading starts to pay (the event loop is free meanwhile); it sets workers.offloadMinBytes.
 * "pool x4" runs 4 tasks at once, the throughput view (per task time). "pool loop" is the
 * event-loop time one offloaded task costs (eventLoopUtilization: post, wake-up, result):
 * offloading frees the loop once the inline time exceeds it.
 */
import { compressSync } from 'lz4-napi';
import { createWorkerPool, type WorkerPool } from '../../workers/pool.ts';
import { type BenchRow, SIZES, mailText, measure, runIfMain } from './harness.ts';

export default async function run(): Promise<BenchRow[]> {
  const pool = await createWorkerPool({ workers: { threads: 0, offloadMinBytes: 0 } });
  try {
    const cases = SIZES.flatMap((bytes) => {
      const input = Buffer.from(mailText(bytes));
      for (let i = 0; i < input.length; i += 97) input[i] = 0x30 + ((i * 7) % 43);
      // A fresh copy per call: the pool moves (detaches) its input.
      const copy = (): Uint8Array => new Uint8Array(input);
      return [
        { task: 'lz4 compress', variant: 'inline', bytes, fn: () => compressSync(Buffer.from(copy().buffer)) },
        { task: 'lz4 compress', variant: 'pool', bytes, fn: () => pool.lz4Compress(copy()) },
        {
          task: 'lz4 compress',
          variant: 'pool x4',
          bytes,
          fn: async () => {
            await Promise.all([0, 1, 2, 3].map(() => pool.lz4Compress(copy())));
          },
        },
      ];
    });
    const rows = await measure('pool-offload', cases);
    for (const bytes of SIZES) {
      const input = new Uint8Array(mailText(bytes));
      // Best of three: other load on the machine only ever adds time.
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await loopNsPerTask(pool, input));
      const ns = Math.min(...runs);
      rows.push({
        bench: 'pool-offload',
        task: 'lz4 compress',
        variant: 'pool loop',
        bytes,
        nsPerOp: ns,
        meanNs: ns,
        mbPerSec: Math.round((bytes / ns) * 1e5) / 100,
        rme: 0,
        samples: 3,
      });
    }
    return rows;
  } finally {
    await pool.close();
  }
}

/** Event-loop busy time per offloaded task, tasks run one after another (inputs made beforehand). */
async function loopNsPerTask(pool: WorkerPool, input: Uint8Array): Promise<number> {
  const n = Math.max(20, Math.min(2000, Math.floor((64 << 20) / input.length)));
  for (let i = 0; i < 10; i++) await pool.lz4Compress(new Uint8Array(input));
  const inputs = Array.from({ length: n }, () => new Uint8Array(input));
  const before = performance.eventLoopUtilization();
  for (const one of inputs) await pool.lz4Compress(one);
  const used = performance.eventLoopUtilization(before);
  return Math.round((used.active * 1e6) / n);
}

await runIfMain(import.meta.url, run);
