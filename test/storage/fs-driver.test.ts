/** fs driver specifics: what is on disk, and that keys can never leave the root. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFsStore, escapeSegment, unescapeSegment } from '../../core/storage/drivers/fs.ts';
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

test.run();
