/** One suite, every driver: the ObjectStore contract. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { ObjectStore } from '../../core/storage/object-store.ts';
import { tempHome } from './helpers.ts';

const drivers: [string, () => { store: ObjectStore; cleanup: () => void }][] = [
  ['memory', () => ({ store: createMemoryStore(), cleanup: () => {} })],
  [
    'fs',
    () => {
      const dir = tempHome();
      return { store: createFsStore(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

for (const [name, make] of drivers) {
  const s = suite<{ store: ObjectStore; cleanup: () => void }>(`object store: ${name}`);
  s.before.each((ctx) => {
    Object.assign(ctx, make());
  });
  s.after.each((ctx) => ctx.cleanup());

  s('put then get returns data and metadata', async ({ store }) => {
    await store.put('ab/user/m/1', Buffer.from('hello'), { a: '1', guid: 'x' });
    const got = await store.get('ab/user/m/1');
    assert.is(got.data.toString(), 'hello');
    assert.equal(got.meta, { a: '1', guid: 'x' });
    const h = await store.head('ab/user/m/1');
    assert.equal(h, { key: 'ab/user/m/1', size: 5, meta: { a: '1', guid: 'x' } });
  });

  s('put never overwrites', async ({ store }) => {
    await store.put('k/1', Buffer.from('first'));
    try {
      await store.put('k/1', Buffer.from('second'));
      assert.unreachable('second put succeeded');
    } catch (err) {
      assert.ok(isStorageError(err, 'EXISTS'));
    }
    assert.is((await store.get('k/1')).data.toString(), 'first');
  });

  s('missing keys: get NOT_FOUND, head null, delete resolves', async ({ store }) => {
    try {
      await store.get('no/such');
      assert.unreachable();
    } catch (err) {
      assert.ok(isStorageError(err, 'NOT_FOUND'));
    }
    assert.is(await store.head('no/such'), null);
    await store.delete('no/such');
  });

  s('delete removes, and the key can be written again', async ({ store }) => {
    await store.put('d/1', Buffer.from('x'));
    await store.delete('d/1');
    assert.is(await store.head('d/1'), null);
    assert.equal(await collect(store.list('d/')), []);
    await store.put('d/1', Buffer.from('y'));
    assert.is((await store.get('d/1')).data.toString(), 'y');
  });

  s('binary data, empty objects and awkward key characters round-trip', async ({ store }) => {
    const bin = Buffer.alloc(70000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 31 + 7) & 0xff;
    const keys = ['b/bin', 'b/empty', 'b/.hidden', 'b/..', 'b/sp ace+%25', 'b/ünï', 'b/x+', 'b/x/y'];
    await store.put(keys[0]!, bin);
    for (const k of keys.slice(1)) await store.put(k, Buffer.alloc(0), { k });
    assert.ok((await store.get('b/bin')).data.equals(bin));
    assert.is((await store.get('b/empty')).data.length, 0);
    assert.equal((await store.get('b/..')).meta, { k: 'b/..' });
    assert.equal(await collect(store.list('b/')), [...keys].sort());
  });

  s('list is lexicographic and honours partial prefixes', async ({ store }) => {
    const keys = ['u/a', 'u/a/b', 'u/a-c', 'u/b', 'u/aa', 'v/a', 'u0'];
    for (const k of keys) await store.put(k, Buffer.from(k));
    assert.equal(await collect(store.list('u/')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa', 'u/b']);
    assert.equal(await collect(store.list('u/a')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa']);
    assert.equal(await collect(store.list('u')), ['u/a', 'u/a-c', 'u/a/b', 'u/aa', 'u/b', 'u0']);
    assert.equal(await collect(store.list('')), [...keys].sort());
    assert.equal(await collect(store.list('zzz')), []);
  });

  s('many keys', async ({ store }) => {
    const keys = Array.from({ length: 600 }, (_, i) => `many/m/${String(i * 7919 % 1000).padStart(4, '0')}`);
    await Promise.all(keys.map((k) => store.put(k, Buffer.from(k))));
    const listed = await collect(store.list('many/m/'));
    assert.equal(listed, [...keys].sort());
    assert.is((await store.get(keys[123]!)).data.toString(), keys[123]);
  });

  s('concurrent puts of one key: exactly one wins', async ({ store }) => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.put('race/k', Buffer.from(`writer ${i}`))));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'EXISTS'));
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    assert.is((await store.get('race/k')).data.toString(), `writer ${winner}`);
  });

  s('invalid keys are refused', async ({ store }) => {
    for (const k of ['', 'a\0b']) {
      try {
        await store.put(k, Buffer.from('x'));
        assert.unreachable();
      } catch (err) {
        assert.ok(isStorageError(err, 'INVALID'));
      }
    }
  });

  s.run();
}
