/** fs driver specifics: what is on disk, and that keys can never leave the root. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore, DirSyncs, escapeSegment, unescapeSegment } from '../../core/storage/drivers/fs.ts';
import { tempHome } from './helpers.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test('objects survive a new store instance; nothing is written outside the root', async () => {
  const home = tempHome();
  const root = join(home, 'root');
  const a = createFsStore(root);
  const keys = ['../../escape', 'a/../../b', '/abs', 'x/./y', 'ü/ß'];
  for (const k of keys) await a.put(k, Buffer.from(k), { k });
  await a.close();
  assert.equal(readdirSync(home), ['root']);
  const b = createFsStore(root);
  for (const k of keys) assert.equal((await b.get(k)).meta, { k });
  const listed: string[] = [];
  for await (const k of b.list('')) listed.push(k);
  assert.equal(listed, [...keys].sort());
  assert.ok(walk(root).every((p) => p.startsWith(root + '/')));
});

test('segment escaping round-trips and never yields dot names or the folder suffix', () => {
  for (const s of ['', '.', '..', '.tmp', 'a+b', 'a%b', 'plain-Name_1.txt', 'ü', '\u{1F600}', 'x/y']) {
    const e = escapeSegment(s);
    assert.is(unescapeSegment(e), s);
    assert.ok(!e.startsWith('.') && !e.endsWith('+') && !e.includes('/'), e);
  }
});

test('stale temp files of a crashed writer are swept at start', async () => {
  const root = join(tempHome(), 'root');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const stale = join(root, '.tmp', '999.deadbeef');
  const fresh = join(root, '.tmp', '998.cafe');
  writeFileSync(stale, 'x');
  writeFileSync(fresh, 'x');
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(stale, old, old);
  const s = createFsStore(root);
  await s.put('k', Buffer.from('v'));
  assert.ok(!existsSync(stale));
  assert.ok(existsSync(fresh));
});

test('concurrent folder fsyncs share one sync after the running one', async () => {
  const dir = tempHome();
  const d = new DirSyncs();
  await Promise.all(Array.from({ length: 8 }, () => d.sync(dir)));
  // The first starts at once; the seven asking while it runs share the next.
  assert.is(d.syncs, 2);
  await d.sync(dir);
  assert.is(d.syncs, 3);
  const err = await d.sync(join(dir, 'missing')).then(() => null, (e: unknown) => e);
  assert.is((err as { code?: string } | null)?.code, 'ENOENT');
});

test('puts into new nested folders, and many at once into one folder', async () => {
  const root = join(tempHome(), 'root');
  const s = createFsStore(root);
  await Promise.all(Array.from({ length: 20 }, (_, i) => s.put(`u/m/${i}`, Buffer.from(String(i)))));
  await s.put('a/b/c/d', Buffer.from('deep'));
  for (let i = 0; i < 20; i++) assert.is((await s.get(`u/m/${i}`)).data.toString(), String(i));
  assert.is((await s.get('a/b/c/d')).data.toString(), 'deep');
  const err = await s.put('u/m/3', Buffer.from('again')).then(() => null, (e: unknown) => e);
  assert.is((err as { code?: string } | null)?.code, 'EXISTS');
  assert.equal(readdirSync(join(root, '.tmp')), []);
});

test.run();
