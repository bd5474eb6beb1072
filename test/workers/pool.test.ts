/** The worker pool: start, every task, moved buffers, error paths, codec policy, close. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compressSync } from 'lz4-napi';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkerPool, type WorkerPool } from '../../workers/pool.ts';
import { createOffloadCodec } from '../../workers/codec.ts';
import { WorkerTaskError } from '../../workers/protocol.ts';
import { foldAsciiBytesRef } from '../../core/text/ascii-fold.ts';
import { scanHeaderRef } from '../../core/text/header-scan.ts';

const enc = new TextEncoder();
const text = (n: number): Buffer => Buffer.from('Subject: Hello World, the Quick brown fox\r\n'.repeat(Math.ceil(n / 43)).slice(0, n));

const tasks = suite<{ pool: WorkerPool }>('pool tasks', { pool: undefined as unknown as WorkerPool });

tasks.before(async (ctx) => {
  ctx.pool = await createWorkerPool({ workers: { threads: 2, offloadMinBytes: 4096 } });
});
tasks.after(async (ctx) => {
  await ctx.pool.close();
});

tasks('starts the configured number of threads, each warmed up', async ({ pool }) => {
  assert.is(pool.threads, 2);
  const out = await pool.run('warmup', null);
  assert.ok(out.ok);
  if (out.ok) assert.ok(out.value.threadId > 0, 'runs off the main thread');
  if (out.ok) assert.is(out.value.kernelModuleSource, 'workerData', 'kernels compiled once, in the main thread');
  const stats = pool.stats();
  assert.is(stats.threads, 2);
  assert.ok(stats.completed >= 3, 'warm-up tasks and this one completed');
});

tasks('lz4Compress / lz4Decompress round trip, output readable by lz4-napi', async ({ pool }) => {
  const original = text(100_000);
  const packed = await pool.lz4Compress(Buffer.from(original));
  assert.ok(Buffer.isBuffer(packed));
  assert.equal(packed, compressSync(original));
  const unpacked = await pool.lz4Decompress(packed, original.length);
  assert.ok(unpacked.equals(original));
});

tasks('input buffers are moved to the worker, not copied', async ({ pool }) => {
  const input = new Uint8Array(text(200_000));
  await pool.lz4Compress(input);
  assert.is(input.byteLength, 0, 'the caller\'s buffer was transferred (detached)');
});

tasks('foldAscii and headerScan give the reference results', async ({ pool }) => {
  const raw = enc.encode('From: A <a@B.example>\r\nSubject: HeLLo\r\n\tWorld\r\n\r\nBODY Ä');
  const folded = await pool.foldAscii(Uint8Array.from(raw));
  assert.equal(Array.from(folded), Array.from(foldAsciiBytesRef(Uint8Array.from(raw))));
  const scan = await pool.headerScan(Uint8Array.from(raw));
  const ref = scanHeaderRef(raw);
  assert.equal({ ...scan, fieldStarts: Array.from(scan.fieldStarts) }, { ...ref, fieldStarts: Array.from(ref.fieldStarts) });
});

tasks('bad input answers ok:false with a code, and the pool keeps working', async ({ pool }) => {
  const notBytes = await pool.run('foldAscii', { data: 'text' as unknown as Uint8Array });
  assert.equal(notBytes.ok ? null : notBytes.code, 'ERR_BAD_INPUT');
  const noArg = await pool.run('headerScan', null as unknown as { data: Uint8Array });
  assert.equal(noArg.ok ? null : noArg.code, 'ERR_BAD_INPUT');
  const badSize = await pool.run('lz4Decompress', { data: new Uint8Array(8), size: -1 });
  assert.equal(badSize.ok ? null : badSize.code, 'ERR_BAD_INPUT');
  const garbage = Uint8Array.from([5, 0, 0, 0, 0xff, 0xff, 0xff]);
  const corrupt = await pool.run('lz4Decompress', { data: garbage, size: 5 });
  assert.equal(corrupt.ok ? null : corrupt.code, 'ERR_LZ4_CORRUPT');
  const unknown = await pool.run('noSuchTask' as 'warmup', null);
  assert.equal(unknown.ok ? null : unknown.code, 'ERR_TASK_UNKNOWN');
  assert.ok((await pool.run('warmup', null)).ok, 'still serving');
});

tasks('a declared size other than the expected one is refused before decoding', async ({ pool }) => {
  const packed = compressSync(text(10_000));
  try {
    await pool.lz4Decompress(packed, 9_999);
    assert.unreachable('should reject');
  } catch (err) {
    assert.instance(err, WorkerTaskError);
    assert.is((err as WorkerTaskError).code, 'ERR_LZ4_CORRUPT');
  }
});

tasks('codec round trips below and above offloadMinBytes', async ({ pool }) => {
  for (const n of [0, 100, 4095, 4096, 300_000]) {
    const original = text(n);
    const packed = await pool.codec.compress(Buffer.from(original));
    const back = await pool.codec.decompress(packed, n);
    assert.ok(back.equals(original), `size ${n}`);
  }
});

tasks.run();

const policy = suite('codec policy');

policy('inline below the threshold, pool from it on', async () => {
  const calls: string[] = [];
  const fake = {
    async lz4Compress(d: Uint8Array) {
      calls.push(`compress ${d.length}`);
      return compressSync(Buffer.from(d));
    },
    async lz4Decompress(_d: Uint8Array, size: number) {
      calls.push(`decompress ${size}`);
      return Buffer.alloc(size);
    },
  };
  const codec = createOffloadCodec(fake, 1000);
  const small = await codec.compress(text(999));
  await codec.decompress(small, 999);
  const big = await codec.compress(text(1000));
  await codec.decompress(big, 1000);
  assert.equal(calls, ['compress 1000', 'decompress 1000']);
});

policy.run();

const startup = suite('pool start-up and close');

startup('a pool pointed at a missing task module rejects at creation', async () => {
  try {
    const pool = await createWorkerPool({ workers: { threads: 1, offloadMinBytes: 0 } }, { taskModule: '/nonexistent/tasks.ts' });
    await pool.close();
    assert.unreachable('should reject');
  } catch (err) {
    assert.is((err as WorkerTaskError).code, 'ERR_POOL_START');
    assert.match((err as Error).message, 'nonexistent');
  }
});

startup('a task module that throws while loading rejects at creation', async () => {
  // Inside the repo (.tmp/ is git-ignored) so the file is an ES module like the real one.
  mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
  const dir = mkdtempSync(fileURLToPath(new URL('../../.tmp/pool-', import.meta.url)));
  const file = join(dir, 'broken-tasks.ts');
  writeFileSync(file, "throw new Error('broken task module');\nexport const warmup = () => ({ ok: true, value: 1 });\n");
  try {
    await createWorkerPool({ workers: { threads: 1, offloadMinBytes: 0 } }, { taskModule: file });
    assert.unreachable('should reject');
  } catch (err) {
    assert.is((err as WorkerTaskError).code, 'ERR_POOL_START');
    assert.match((err as Error).message, 'broken task module');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

startup('a worker that dies mid-task answers ERR_WORKER_FAILED and the pool replaces it', async () => {
  mkdirSync(new URL('../../.tmp/', import.meta.url), { recursive: true });
  const dir = mkdtempSync(fileURLToPath(new URL('../../.tmp/pool-', import.meta.url)));
  const file = join(dir, 'dying-tasks.ts');
  writeFileSync(
    file,
    "export const warmup = () => ({ ok: true, value: 1 });\nexport const die = () => process.exit(3);\n",
  );
  const pool = await createWorkerPool({ workers: { threads: 1, offloadMinBytes: 0 } }, { taskModule: file });
  try {
    const died = await pool.run('die' as 'warmup', null);
    assert.equal(died.ok ? null : died.code, 'ERR_WORKER_FAILED');
    assert.ok((await pool.run('warmup', null)).ok, 'a new thread serves the next task');
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

startup('run after close answers ERR_POOL_CLOSED', async () => {
  const pool = await createWorkerPool({ workers: { threads: 1, offloadMinBytes: 0 } });
  await pool.close();
  const out = await pool.run('warmup', null);
  assert.equal(out.ok ? null : out.code, 'ERR_POOL_CLOSED');
});

startup.run();
