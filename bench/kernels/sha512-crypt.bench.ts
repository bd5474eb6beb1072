/**
 * SHA512-CRYPT verification (5000 rounds, a 12-byte password), the CPU cost of every login with
 * a {SHA512-CRYPT} hash: unixcrypt (pure JS, the reference, "ts"), the WASM kernel inline
 * ("wasm"), through the auth worker threads one at a time ("worker": the latency a login sees)
 * and 8 at once ("worker x8": per batch of 8, the throughput view), and native glibc crypt(3)
 * for comparison: "glibc" is CPU time per hash inside one python3 process (crypt module, the
 * same libcrypt Dovecot calls), "doveadm" is `doveadm pw -t` wall time per call minus that of
 * `doveadm pw -s PLAIN` (process start-up removed). Both native rows are best of 3 and are
 * skipped when the tool is missing. "wasm cpu" and "ts cpu" are process CPU time per call (best of
 * 3 × 50 calls), the figure to set beside "glibc" on a busy machine where wall time inflates.
 */
import { execFileSync } from 'node:child_process';
import { encrypt, verify } from 'unixcrypt';
import { sha512CryptVerifyWasm } from '../../core/auth/sha512-crypt-wasm.ts';
import { sha512CryptVerify, warmHashThreads } from '../../core/auth/hash-threads.ts';
import { type BenchRow, measure, runIfMain } from './harness.ts';

const PASSWORD = 'bench-secret';
const HASH = encrypt(PASSWORD, '$6$Xy7Qp0Lm2Zr9Tb4W');
const TASK = 'verify $6$ 5000 rounds';
const BYTES = PASSWORD.length;

function nativeRow(variant: string, nsPerOp: number): BenchRow {
  return { bench: 'sha512-crypt', task: TASK, variant, bytes: BYTES, nsPerOp: Math.round(nsPerOp), meanNs: Math.round(nsPerOp), mbPerSec: 0, rme: 0, samples: 3 };
}

// Process CPU ns per call of a synchronous function (this thread only does that meanwhile).
function cpuNs(fn: () => unknown): number {
  return bestOf3(() => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 50; i++) fn();
    const c = process.cpuUsage(c0);
    return ((c.user + c.system) * 1000) / 50;
  });
}

function bestOf3(fn: () => number): number {
  return Math.min(fn(), fn(), fn());
}

// CPU ns per glibc crypt() call, measured inside python3 (no process start-up in the figure).
function glibcNs(): number | null {
  const script = `import crypt,time\nt=time.process_time()\nfor i in range(100): crypt.crypt('${PASSWORD}', '${HASH}')\nprint((time.process_time()-t)/100*1e9)`;
  try {
    return bestOf3(() => Number(execFileSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8' }).trim()));
  } catch {
    return null;
  }
}

// Wall ns per `doveadm pw -t` verification, minus a `doveadm pw -s PLAIN` run (start-up cost).
function doveadmNs(): number | null {
  const time = (args: string[]): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) execFileSync('doveadm', args, { stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t0) / 10;
  };
  try {
    const verifyNs = bestOf3(() => time(['pw', '-t', `{SHA512-CRYPT}${HASH}`, '-p', PASSWORD]));
    const plainNs = bestOf3(() => time(['pw', '-s', 'PLAIN', '-p', PASSWORD]));
    return Math.max(0, verifyNs - plainNs);
  } catch {
    return null;
  }
}

export default async function run(): Promise<BenchRow[]> {
  if (!sha512CryptVerifyWasm(PASSWORD, HASH)) throw new Error('sha512-crypt bench: wasm kernel disagrees with unixcrypt');
  await warmHashThreads();
  const rows = await measure('sha512-crypt', [
    { task: TASK, variant: 'ts', bytes: BYTES, fn: () => verify(PASSWORD, HASH) },
    { task: TASK, variant: 'wasm', bytes: BYTES, fn: () => sha512CryptVerifyWasm(PASSWORD, HASH) },
    { task: TASK, variant: 'worker', bytes: BYTES, fn: () => sha512CryptVerify(PASSWORD, HASH) },
    {
      task: TASK,
      variant: 'worker x8',
      bytes: BYTES,
      fn: async () => {
        await Promise.all(Array.from({ length: 8 }, () => sha512CryptVerify(PASSWORD, HASH)));
      },
    },
  ]);
  rows.push(nativeRow('ts cpu', cpuNs(() => verify(PASSWORD, HASH))));
  rows.push(nativeRow('wasm cpu', cpuNs(() => sha512CryptVerifyWasm(PASSWORD, HASH))));
  const glibc = glibcNs();
  if (glibc !== null) rows.push(nativeRow('glibc', glibc));
  const doveadm = doveadmNs();
  if (doveadm !== null) rows.push(nativeRow('doveadm', doveadm));
  return rows;
}

await runIfMain(import.meta.url, run);
