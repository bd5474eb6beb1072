/**
 * Micro-benchmark harness over tinybench: one row per (task, variant, input size).
 * Fast operations run in batches so a sample is never just timer noise; figures are per call.
 * BENCH_TIME_MS (default 300) is the time budget per case.
 */
import { Bench } from 'tinybench';
import { pathToFileURL } from 'node:url';

export interface BenchRow {
  /** Bench file, e.g. "ascii-fold". */
  bench: string;
  /** What is measured, e.g. "foldAscii". */
  task: string;
  /** Implementation, e.g. "wasm", "ts", "pool", "inline". */
  variant: string;
  /** Input size in bytes. */
  bytes: number;
  /** Median time per call in nanoseconds (the median resists a busy machine better than the mean). */
  nsPerOp: number;
  /** Mean time per call in nanoseconds. */
  meanNs: number;
  /** Input bytes processed per second, in MB (10^6). */
  mbPerSec: number;
  /** Relative margin of error of the mean (percent). */
  rme: number;
  samples: number;
}

export interface BenchCase {
  task: string;
  variant: string;
  bytes: number;
  fn: () => unknown;
}

// Read when measuring, not at import, so a runner flag (--quick) can still set it.
const timeMs = (): number => Number(process.env.BENCH_TIME_MS ?? 300);
const TARGET_SAMPLE_MS = 0.05;

// Calls per sample so that one sample lasts about TARGET_SAMPLE_MS.
async function batchSize(fn: () => unknown): Promise<number> {
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    const took = performance.now() - t0;
    if (took >= TARGET_SAMPLE_MS || calls >= 1 << 20) return Math.max(1, Math.round((calls * TARGET_SAMPLE_MS) / Math.max(took, 1e-6)));
    calls *= 4;
  }
}

/** Runs each case and returns one row per case. */
export async function measure(bench: string, cases: BenchCase[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const isAsync = c.fn() instanceof Promise;
    const batch = await batchSize(c.fn);
    const run = isAsync
      ? async () => {
          for (let i = 0; i < batch; i++) await c.fn();
        }
      : () => {
          for (let i = 0; i < batch; i++) c.fn();
        };
    const b = new Bench({ time: timeMs(), warmupTime: Math.min(100, timeMs() / 3), iterations: 8 });
    b.add(`${c.task}/${c.variant}/${c.bytes}`, run);
    await b.run();
    const result = b.tasks[0]!.result;
    if (result.state !== 'completed') throw new Error(`${bench} ${c.task}/${c.variant}: ${result.state}`);
    const nsPerOp = (result.latency.p50 * 1e6) / batch;
    rows.push({
      bench,
      task: c.task,
      variant: c.variant,
      bytes: c.bytes,
      nsPerOp: Math.round(nsPerOp),
      meanNs: Math.round((result.latency.mean * 1e6) / batch),
      mbPerSec: round(c.bytes / nsPerOp * 1e3),
      rme: round((result.latency.moe / result.latency.mean) * 100),
      samples: result.latency.samplesCount ?? 0,
    });
  }
  return rows;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n >> 10} KB`;
  return `${n} B`;
}

/** A table: one line per row, plus the speed-up of each variant against `baseline`. */
export function formatTable(rows: BenchRow[], baseline = 'ts'): string {
  const lines = ['bench            task                  variant   size        ns/op      MB/s   ±%   vs ' + baseline];
  for (const r of rows) {
    const base = rows.find((b) => b.bench === r.bench && b.task === r.task && b.bytes === r.bytes && b.variant === baseline);
    const gain = base && base !== r ? `${(base.nsPerOp / r.nsPerOp).toFixed(2)}x` : '';
    lines.push(
      [
        r.bench.padEnd(16),
        r.task.padEnd(21),
        r.variant.padEnd(9),
        formatBytes(r.bytes).padStart(7),
        String(r.nsPerOp).padStart(12),
        r.mbPerSec.toFixed(0).padStart(9),
        r.rme.toFixed(1).padStart(5),
        gain.padStart(7),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

/** Lets a bench file run on its own: `node --import tsx bench/kernels/x.bench.ts`. */
export async function runIfMain(url: string, fn: () => Promise<BenchRow[]>): Promise<void> {
  if (process.argv[1] && pathToFileURL(process.argv[1]).href === url) {
    console.log(formatTable(await fn()));
  }
}

/** Mail-like ASCII text of `bytes` bytes (header-ish lines, mixed case). */
export function mailText(bytes: number): Uint8Array {
  const line = 'Received: from mx.Example.COM by Columba; The quick Brown fox jumps over 13 lazy dogs.\r\n';
  const out = new Uint8Array(bytes);
  const enc = new TextEncoder().encode(line);
  for (let i = 0; i < bytes; i += enc.length) out.set(enc.subarray(0, Math.min(enc.length, bytes - i)), i);
  return out;
}

export const SIZES = [1024, 4096, 16384, 65536, 262144, 1 << 20, 4 << 20];
