/** The fs store's put threads: same files as the pool path, errors mapped alike, a lost thread replaced. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { FS_PUT_THREAD_MAX_BYTES, PutThreads } from '../../core/storage/drivers/fs-put-threads.ts';
import { tempHome } from './helpers.ts';

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.set(rel + e.name, readFileSync(join(d, e.name)).toString('base64'));
    }
  };
  walk(dir, '');
  return out;
}

test('a put on a thread writes the same bytes as one on the pool', async () => {
  const home = tempHome();
  const big = Buffer.alloc(FS_PUT_THREAD_MAX_BYTES + 1, 7); // over the limit: pool path in both
  for (const [name, putThreads] of [['threads', 2], ['pool', 0]] as const) {
    const s = createFsStore(join(home, name), { putThreads });
    // A view into a larger buffer: only its own bytes may land in the file.
    const backing = Buffer.from('xxxxhello, worldyyyy');
    await s.put('u/m/view', backing.subarray(4, 16), { size: '12' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.put(`u/m/${i}`, Buffer.from(`message ${i}`), { i: String(i) })));
    await s.put('deep/er/folders/big', big);
    assert.is((await s.get('u/m/view')).data.toString(), 'hello, world');
    await s.close();
  }
  const threads = filesUnder(join(home, 'threads'));
  const pool = filesUnder(join(home, 'pool'));
  assert.equal([...threads.keys()].sort(), [...pool.keys()].sort());
  for (const [k, v] of threads) assert.is(v, pool.get(k), k);
  assert.equal(readdirSync(join(home, 'threads', '.tmp')), []);
});

test('errors on a thread map as on the pool: EXISTS, and a broken folder is a storage error', async () => {
  const home = tempHome();
  for (const [name, putThreads] of [['threads', 2], ['pool', 0]] as const) {
    const root = join(home, name);
    const s = createFsStore(root, { putThreads });
    await s.put('a/k', Buffer.from('first'));
    const exists = await s.put('a/k', Buffer.from('second')).then(() => null, (e: unknown) => e);
    assert.is((exists as { code?: string } | null)?.code, 'EXISTS', name);
    assert.is((await s.get('a/k')).data.toString(), 'first');
    // A file where the folder of key b/k belongs: link fails with ENOTDIR.
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'b+'), 'not a folder');
    const broken = await s.put('b/k', Buffer.from('x')).then(() => null, (e: unknown) => e);
    assert.is((broken as { code?: string } | null)?.code, 'TEMPORARY', name);
    assert.equal(readdirSync(join(root, '.tmp')), [], name);
    await s.close();
  }
});

test('puts in flight on a stopped thread fail; the next put starts a new one', async () => {
  const dir = tempHome();
  mkdirSync(join(dir, '.tmp'));
  const threads = new PutThreads(1);
  const tmp = (n: number) => join(dir, '.tmp', `t${n}`);
  await threads.put(tmp(0), join(dir, 'o0'), dir, [Buffer.from('zero')]);
  assert.is(threads.started, 1);
  const inFlight = threads.put(tmp(1), join(dir, 'o1'), dir, [Buffer.alloc(4 << 20)]);
  await threads.close();
  const err = await inFlight.then(() => null, (e: unknown) => e);
  // Stopped before it answered: EIO. Had it answered first, its object must be whole.
  if (err) assert.is((err as { code?: string }).code, 'EIO');
  else assert.is(readFileSync(join(dir, 'o1')).length, 4 << 20);
  assert.is(threads.stats().threads, 0);
  await threads.put(tmp(2), join(dir, 'o2'), dir, [Buffer.from('two')]);
  assert.is(threads.started, 2);
  assert.is(readFileSync(join(dir, 'o2'), 'utf8'), 'two');
  assert.is(readFileSync(join(dir, 'o0'), 'utf8'), 'zero');
  await threads.close();
});

test.run();
